import { Link } from '@remix-run/react';
import { Badge } from '~/components/ui/badge';
import { cn } from '~/components/ui/cn';
import { formatRub } from '~/utils/money';
import { useLang, useT } from '~/i18n/use-t';
import type { StockStatus } from '~/utils/vocabularies';
import { ShopIcon } from './shop-icons';

export interface MenuCardProduct {
  id: number;
  name: string;
  description: string | null;
  imageUrl: string | null;
  priceKopecks: number;
  /** The product has options that cost extra, so the price is a starting price. */
  fromPrice: boolean;
  stockStatus: StockStatus;
  sellable: boolean;
  isSpecialPrice: boolean;
}

export function ProductImage({ src, className }: { src: string | null; className?: string }) {
  return src ? (
    <img src={src} alt="" loading="lazy" className={cn('object-cover', className)} />
  ) : (
    <div
      aria-hidden="true"
      className={cn('flex items-center justify-center bg-brand-50 text-brand-500', className)}
    >
      <ShopIcon name="cup" className="h-8 w-8" />
    </div>
  );
}

/** A product on the menu: opens the product sheet, or is greyed out and inert when sold out. */
export function ProductCard({
  storeCode,
  product,
}: {
  storeCode: string;
  product: MenuCardProduct;
}) {
  const t = useT();
  const lang = useLang();
  const price = formatRub(product.priceKopecks, lang);
  const body = (
    <>
      <ProductImage src={product.imageUrl} className="h-20 w-20 shrink-0 rounded-md" />
      <div className="min-w-0 flex-1">
        <p className="font-medium text-stone-900">{product.name}</p>
        {product.description ? (
          <p className="mt-0.5 line-clamp-2 text-xs text-stone-500">{product.description}</p>
        ) : null}
        <div className="mt-2 flex flex-wrap items-center gap-2">
          <span className="text-sm font-semibold text-stone-900">
            {product.fromPrice ? t('shop.menu.fromPrice', { price }) : price}
          </span>
          {!product.sellable ? <Badge tone="neutral">{t('shop.menu.soldOut')}</Badge> : null}
          {product.sellable && product.stockStatus === 'LOW_STOCK' ? (
            <Badge tone="warning">{t('shop.menu.lowStock')}</Badge>
          ) : null}
          {product.isSpecialPrice ? (
            <Badge tone="brand">{t('shop.menu.specialPrice')}</Badge>
          ) : null}
        </div>
      </div>
    </>
  );
  if (!product.sellable) {
    return (
      <div
        aria-disabled="true"
        className="flex gap-3 rounded-lg border border-stone-200 bg-stone-50 p-3 opacity-60"
      >
        {body}
      </div>
    );
  }
  return (
    <Link
      to={`/menu/${storeCode}/p/${product.id}`}
      className="flex gap-3 rounded-lg border border-stone-200 bg-white p-3 shadow-sm transition-colors hover:border-brand-500 focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600"
    >
      {body}
    </Link>
  );
}
