import { Link } from '@remix-run/react';
import {
  DataTable,
  FilterSelect,
  ListFilters,
  type DataTableColumn,
} from '~/components/data-table';
import { Badge } from '~/components/ui/badge';
import { useLang, useT } from '~/i18n/use-t';
import type { SortDir } from '~/utils/search-params';

export interface StaffListItem {
  id: number;
  email: string;
  display_name: string;
  role: string;
  is_active: boolean;
  last_login_at: string | null;
  store_codes: string[];
}

export function roleKey(role: string) {
  return role === 'ADMIN' ? 'staff.role.ADMIN' : 'staff.role.STORE_MANAGER';
}

export function formatDateTime(value: string | null, lang: string): string {
  if (!value) return '—';
  return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : lang === 'en' ? 'en-GB' : 'ru-RU', {
    dateStyle: 'short',
    timeStyle: 'short',
    timeZone: 'Europe/Moscow',
  }).format(new Date(value));
}

export function StaffList({
  staff,
  params,
  pagination,
}: {
  staff: StaffListItem[];
  params: { q: string; sort: string; dir: SortDir; filters: { role?: string; active?: boolean } };
  pagination: { page: number; pageSize: number; total: number };
}) {
  const t = useT();
  const lang = useLang();
  const columns: DataTableColumn<StaffListItem>[] = [
    {
      id: 'email',
      header: t('staff.field.email'),
      sortKey: 'email',
      cell: (u) => (
        <Link to={`/admin/staff/${u.id}`} className="font-medium text-brand-700 hover:underline">
          {u.email}
        </Link>
      ),
    },
    {
      id: 'name',
      header: t('staff.field.displayName'),
      sortKey: 'name',
      cell: (u) => u.display_name,
    },
    { id: 'role', header: t('staff.field.role'), sortKey: 'role', cell: (u) => t(roleKey(u.role)) },
    {
      id: 'stores',
      header: t('staff.column.stores'),
      cell: (u) => (
        <span className="font-mono text-xs">
          {u.store_codes.length ? u.store_codes.join(', ') : '—'}
        </span>
      ),
    },
    {
      id: 'lastLogin',
      header: t('staff.column.lastLogin'),
      sortKey: 'lastLogin',
      cell: (u) => formatDateTime(u.last_login_at, lang),
    },
    {
      id: 'status',
      header: t('staff.column.status'),
      cell: (u) =>
        u.is_active ? (
          <Badge tone="success">{t('staff.status.active')}</Badge>
        ) : (
          <Badge tone="warning">{t('staff.status.inactive')}</Badge>
        ),
    },
  ];
  const active = params.filters.active;
  return (
    <>
      <ListFilters q={params.q} searchLabel={t('staff.list.searchLabel')}>
        <FilterSelect
          name="role"
          label={t('staff.field.role')}
          value={params.filters.role}
          options={[
            { value: 'ADMIN', label: t('staff.role.ADMIN') },
            { value: 'STORE_MANAGER', label: t('staff.role.STORE_MANAGER') },
          ]}
        />
        <FilterSelect
          name="active"
          label={t('staff.column.status')}
          value={active === undefined ? undefined : String(active)}
          options={[
            { value: 'true', label: t('staff.status.active') },
            { value: 'false', label: t('staff.status.inactive') },
          ]}
        />
      </ListFilters>
      <DataTable
        caption={t('nav.admin.staff')}
        columns={columns}
        rows={staff}
        rowKey={(u) => u.id}
        sort={params}
        pagination={pagination}
      />
    </>
  );
}
