import { Link, useLocation } from '@remix-run/react';
import type { ReactNode } from 'react';
import { cn } from '~/components/ui/cn';
import { EmptyState } from '~/components/ui/empty-state';
import { useT } from '~/i18n/use-t';
import { sortHref, type SortDir } from '~/utils/search-params';
import { Pagination } from './pagination';

export interface DataTableColumn<Row> {
  /** Unique per table (React key). */
  id: string;
  /** Header text, already translated. */
  header: ReactNode;
  cell: (row: Row) => ReactNode;
  /** A whitelisted sort key of the list's params: the header becomes a sort link. */
  sortKey?: string;
  align?: 'left' | 'right' | 'center';
  className?: string;
}

export interface DataTableProps<Row> {
  columns: readonly DataTableColumn<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string | number;
  /** The list's current sort (from `defineListParams().parse`); omit for an unsortable table. */
  sort?: { sort: string; dir: SortDir };
  /** Omit for a table without pages. */
  pagination?: { page: number; pageSize: number; total: number };
  /** Shown instead of the table when there are no rows (default: "Nothing found"). */
  empty?: ReactNode;
  /** Accessible name of the table. */
  caption?: ReactNode;
  className?: string;
}

const ALIGN = { left: 'text-left', right: 'text-right', center: 'text-center' } as const;

/**
 * A server-driven list table: sort headers and pagination are plain links that change the URL, so
 * the loader re-runs with the new state (works without JavaScript, bookmarkable).
 */
export function DataTable<Row>({
  columns,
  rows,
  rowKey,
  sort,
  pagination,
  empty,
  caption,
  className,
}: DataTableProps<Row>) {
  const t = useT();
  const location = useLocation();

  if (rows.length === 0) {
    return (
      <div className={className}>
        {empty ?? (
          <EmptyState
            title={t('dataTable.emptyTitle')}
            description={t('dataTable.emptyFiltered')}
          />
        )}
        {pagination && pagination.total > 0 ? <Pagination {...pagination} /> : null}
      </div>
    );
  }

  return (
    <div className={className}>
      <div className="overflow-x-auto rounded-lg border border-stone-200 bg-white shadow-sm">
        <table className="min-w-full divide-y divide-stone-200 text-sm">
          {caption ? <caption className="sr-only">{caption}</caption> : null}
          <thead className="bg-stone-50">
            <tr>
              {columns.map((column) => {
                const active = sort && column.sortKey && sort.sort === column.sortKey;
                const ariaSort = active
                  ? sort.dir === 'asc'
                    ? 'ascending'
                    : 'descending'
                  : undefined;
                return (
                  <th
                    key={column.id}
                    scope="col"
                    aria-sort={ariaSort}
                    className={cn(
                      'whitespace-nowrap px-3 py-2 font-medium text-stone-600',
                      ALIGN[column.align ?? 'left'],
                      column.className,
                    )}
                  >
                    {sort && column.sortKey ? (
                      <Link
                        to={sortHref(location, column.sortKey, sort)}
                        className="inline-flex items-center gap-1 hover:text-stone-900"
                        preventScrollReset
                      >
                        {column.header}
                        <span aria-hidden="true" className={active ? '' : 'text-stone-300'}>
                          {active && sort.dir === 'desc' ? '↓' : '↑'}
                        </span>
                        {active ? (
                          <span className="sr-only">
                            {t(sort.dir === 'asc' ? 'dataTable.sortAsc' : 'dataTable.sortDesc')}
                          </span>
                        ) : null}
                      </Link>
                    ) : (
                      column.header
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody className="divide-y divide-stone-100">
            {rows.map((row) => (
              <tr key={rowKey(row)} className="hover:bg-stone-50">
                {columns.map((column) => (
                  <td
                    key={column.id}
                    className={cn(
                      'px-3 py-2 align-top text-stone-800',
                      ALIGN[column.align ?? 'left'],
                      column.className,
                    )}
                  >
                    {column.cell(row)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pagination ? <Pagination {...pagination} /> : null}
    </div>
  );
}
