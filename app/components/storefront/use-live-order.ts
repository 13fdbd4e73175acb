import { useRevalidator } from '@remix-run/react';
import { useEffect } from 'react';
import type { OrderStatus } from '~/utils/vocabularies';

/** How often the order page re-reads its order: quickly while payment and the POS are pending. */
export function pollIntervalMs(status: OrderStatus): number | null {
  if (status === 'PENDING') return 3_000;
  if (
    status === 'CONFIRMED' ||
    status === 'PREPARING' ||
    status === 'READY' ||
    status === 'DELIVERING'
  )
    return 15_000;
  // COMPLETED and the terminal states do not change on their own
  return null;
}

/** Revalidates the page's loaders on an interval while the order can still move, tab visible. */
export function useLiveOrder(status: OrderStatus) {
  const revalidator = useRevalidator();
  const interval = pollIntervalMs(status);
  useEffect(() => {
    if (interval === null) return;
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible' && revalidator.state === 'idle') {
        revalidator.revalidate();
      }
    }, interval);
    return () => window.clearInterval(timer);
  }, [interval, revalidator]);
}
