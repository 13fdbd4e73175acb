import { Link, useLocation } from '@remix-run/react';
import { buttonClasses } from '~/components/ui/button';
import { useT } from '~/i18n/use-t';
import { pageCount, pageHref } from '~/utils/search-params';

/** "1–25 of 130 · Page 1 of 6 · Previous / Next" as links that keep the rest of the list state. */
export function Pagination({
  page,
  pageSize,
  total,
}: {
  page: number;
  pageSize: number;
  total: number;
}) {
  const t = useT();
  const location = useLocation();
  const pages = pageCount(total, pageSize);
  const from = total === 0 ? 0 : Math.min((page - 1) * pageSize + 1, total);
  const to = Math.min(page * pageSize, total);
  const disabled = buttonClasses({
    variant: 'secondary',
    size: 'sm',
    className: 'pointer-events-none opacity-50',
  });
  const enabled = buttonClasses({ variant: 'secondary', size: 'sm' });
  return (
    <nav
      aria-label={t('dataTable.pagination')}
      className="mt-3 flex flex-wrap items-center justify-between gap-3 text-sm text-stone-600"
    >
      <p>{t('dataTable.range', { from, to, total })}</p>
      <div className="flex items-center gap-2">
        <span>{t('dataTable.page', { page: Math.min(page, pages), pages })}</span>
        {page > 1 ? (
          <Link to={pageHref(location, Math.min(page - 1, pages))} rel="prev" className={enabled}>
            {t('dataTable.previous')}
          </Link>
        ) : (
          <span aria-disabled="true" className={disabled}>
            {t('dataTable.previous')}
          </span>
        )}
        {page < pages ? (
          <Link to={pageHref(location, page + 1)} rel="next" className={enabled}>
            {t('dataTable.next')}
          </Link>
        ) : (
          <span aria-disabled="true" className={disabled}>
            {t('dataTable.next')}
          </span>
        )}
      </div>
    </nav>
  );
}
