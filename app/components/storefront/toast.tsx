import { useEffect, useState } from 'react';
import type { Toast } from '~/features/cart/toast';
import { useT } from '~/i18n/use-t';
import { ShopIcon } from './shop-icons';

const VISIBLE_MS = 5000;

/**
 * The confirmation a previous action flashed ("added to cart"). Announced politely to screen
 * readers, dismissible, and gone after a few seconds; a new toast (new id) shows again.
 */
export function ToastMessage({ toast }: { toast: Toast | null }) {
  const t = useT();
  const [dismissed, setDismissed] = useState<string | null>(null);

  useEffect(() => {
    if (!toast) return;
    const timer = window.setTimeout(() => setDismissed(toast.id), VISIBLE_MS);
    return () => window.clearTimeout(timer);
  }, [toast]);

  const visible = toast !== null && dismissed !== toast.id;
  return (
    <div
      role="status"
      aria-live="polite"
      className="pointer-events-none fixed inset-x-0 bottom-4 z-40 flex justify-center px-4"
    >
      {visible ? (
        <div
          data-testid="toast"
          className="pointer-events-auto flex max-w-md items-center gap-3 rounded-lg bg-stone-900 px-4 py-3 text-sm text-white shadow-lg"
        >
          <ShopIcon name="check" className="h-5 w-5 shrink-0 text-emerald-400" />
          <p className="flex-1">{t(toast.key, toast.params)}</p>
          <button
            type="button"
            onClick={() => setDismissed(toast.id)}
            className="rounded p-1 text-stone-300 hover:text-white focus-visible:outline focus-visible:outline-2 focus-visible:outline-white"
          >
            <ShopIcon name="close" className="h-4 w-4" />
            <span className="sr-only">{t('shop.toast.dismiss')}</span>
          </button>
        </div>
      ) : null}
    </div>
  );
}
