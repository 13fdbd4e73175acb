import type { SubmissionResult } from '@conform-to/react';
import { Form, useLocation, useNavigation } from '@remix-run/react';
import { CsrfInput } from '~/components/auth/csrf-input';
import {
  DataTable,
  FilterSelect,
  ListFilters,
  type DataTableColumn,
} from '~/components/data-table';
import { Alert } from '~/components/ui/alert';
import { Badge, type BadgeTone } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { Card, CardBody, CardHeader } from '~/components/ui/card';
import { Input, Label, Textarea } from '~/components/ui/input';
import { FieldError } from '~/components/forms/form-fields';
import { formatCampaignTime } from '~/features/campaigns/campaign-time';
import type { MessageKey } from '~/i18n/translate';
import { pickLocalized, useLang, useT } from '~/i18n/use-t';
import { COUPON_INSTANCE_STATUSES } from '~/utils/vocabularies';
import { INSTANCE_OPERATIONS } from '../instances.schema';

export interface InstanceRow {
  id: number;
  status: string;
  phone: string;
  template_id: number;
  template_code: string;
  name_ru: string;
  name_zh: string | null;
  name_en: string | null;
  source_type: string;
  source_ref: string | null;
  tags: string[];
  created_at: string;
  effective_valid_until: string;
  adjusted_valid_until: string | null;
}

const STATUS_TONE: Record<string, BadgeTone> = {
  UNUSED: 'success',
  USED: 'neutral',
  EXPIRED: 'warning',
  FROZEN: 'info',
  REVOKED: 'danger',
};

const OPS_FORM = 'coupon-instance-ops';

export function InstanceStatusBadge({ status }: { status: string }) {
  const t = useT();
  return (
    <Badge tone={STATUS_TONE[status] ?? 'neutral'}>
      {t(`couponInstances.status.${status}` as MessageKey)}
    </Badge>
  );
}

export function InstanceFilters({
  filters,
  templates,
}: {
  filters: { status?: string; template?: number; phone?: string; tag?: string };
  templates: readonly { id: number; code: string }[];
}) {
  const t = useT();
  return (
    <ListFilters>
      <FilterSelect
        name="status"
        label={t('couponInstances.filter.status')}
        value={filters.status}
        options={COUPON_INSTANCE_STATUSES.map((s) => ({
          value: s,
          label: t(`couponInstances.status.${s}`),
        }))}
      />
      <FilterSelect
        name="template"
        label={t('couponInstances.filter.template')}
        value={filters.template === undefined ? undefined : String(filters.template)}
        options={templates.map((tpl) => ({ value: String(tpl.id), label: tpl.code }))}
      />
      <div className="space-y-1.5">
        <Label htmlFor="filter-phone">{t('couponInstances.filter.phone')}</Label>
        <Input id="filter-phone" name="phone" defaultValue={filters.phone ?? ''} inputMode="tel" />
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="filter-tag">{t('couponInstances.filter.tag')}</Label>
        <Input id="filter-tag" name="tag" defaultValue={filters.tag ?? ''} />
      </div>
    </ListFilters>
  );
}

export function InstanceTable({
  rows,
  sort,
  pagination,
}: {
  rows: readonly InstanceRow[];
  sort: { sort: string; dir: 'asc' | 'desc' };
  pagination: { page: number; pageSize: number; total: number };
}) {
  const t = useT();
  const lang = useLang();
  const columns: DataTableColumn<InstanceRow>[] = [
    {
      id: 'select',
      header: <span className="sr-only">{t('couponInstances.column.select')}</span>,
      cell: (r) => (
        <input
          type="checkbox"
          name="ids"
          value={r.id}
          form={OPS_FORM}
          aria-label={t('couponInstances.selectRow', { id: r.id })}
          className="h-4 w-4 rounded border-stone-300"
        />
      ),
    },
    { id: 'id', header: t('couponInstances.column.id'), sortKey: 'id', cell: (r) => r.id },
    { id: 'member', header: t('couponInstances.column.member'), cell: (r) => r.phone },
    {
      id: 'template',
      header: t('couponInstances.column.template'),
      cell: (r) => (
        <span>
          <span className="font-mono text-xs">{r.template_code}</span>{' '}
          {pickLocalized(lang, r, 'name')}
        </span>
      ),
    },
    {
      id: 'status',
      header: t('couponInstances.column.status'),
      sortKey: 'status',
      cell: (r) => <InstanceStatusBadge status={r.status} />,
    },
    {
      id: 'valid',
      header: t('couponInstances.column.validUntil'),
      cell: (r) => formatCampaignTime(r.effective_valid_until, lang),
    },
    {
      id: 'source',
      header: t('couponInstances.column.source'),
      cell: (r) => (r.source_ref ? `${r.source_type} · ${r.source_ref}` : r.source_type),
    },
    {
      id: 'tags',
      header: t('couponInstances.column.tags'),
      cell: (r) => <span className="text-xs">{r.tags.join(', ')}</span>,
    },
    {
      id: 'issued',
      header: t('couponInstances.column.issuedAt'),
      cell: (r) => formatCampaignTime(r.created_at, lang),
    },
  ];
  return (
    <DataTable
      columns={columns}
      rows={rows}
      rowKey={(r) => r.id}
      sort={sort}
      pagination={pagination}
      caption={t('couponInstances.title')}
    />
  );
}

/** Reason, new validity and one button per operation; the table's checkboxes belong to it. */
export function InstanceOperationsForm({
  lastResult,
  done,
}: {
  lastResult?: SubmissionResult<string[]> | null;
  done: { changed: number; skipped: number } | null;
}) {
  const t = useT();
  const location = useLocation();
  const navigation = useNavigation();
  const errors = (lastResult?.error ?? {}) as Record<string, string[] | null>;
  const formError = errors['']?.[0];
  return (
    <Card className="mt-6">
      <CardHeader title={t('couponInstances.ops.title')} />
      <CardBody>
        <Form
          // a fresh form after each operation (the redirect is a new location): reason cleared
          key={location.key}
          id={OPS_FORM}
          method="post"
          action={`${location.pathname}${location.search}`}
          className="space-y-4"
        >
          <CsrfInput />
          <p className="text-sm text-stone-600">{t('couponInstances.ops.hint')}</p>
          {done ? <Alert tone="success">{t('couponInstances.done', done)}</Alert> : null}
          {formError ? <Alert tone="danger">{t(formError as MessageKey)}</Alert> : null}
          {errors.ids?.length ? <FieldError errors={errors.ids ?? undefined} /> : null}
          <div className="grid gap-4 sm:grid-cols-2">
            <div className="space-y-1.5">
              <Label htmlFor="op-reason">{t('couponInstances.field.reason')}</Label>
              <Textarea id="op-reason" name="reason" rows={2} />
              <FieldError errors={errors.reason ?? undefined} />
            </div>
            <div className="space-y-1.5">
              <Label htmlFor="op-valid-until">{t('couponInstances.field.validUntil')}</Label>
              <Input id="op-valid-until" type="datetime-local" name="valid_until" />
              <FieldError errors={errors.valid_until ?? undefined} />
            </div>
          </div>
          <div className="flex flex-wrap gap-2">
            {INSTANCE_OPERATIONS.map((op) => (
              <Button
                key={op}
                type="submit"
                name="intent"
                value={op}
                variant={op === 'revoke' ? 'danger' : 'secondary'}
                disabled={navigation.state === 'submitting'}
              >
                {t(`couponInstances.op.${op}`)}
              </Button>
            ))}
          </div>
        </Form>
      </CardBody>
    </Card>
  );
}
