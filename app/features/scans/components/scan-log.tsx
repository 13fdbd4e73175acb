import { Form } from '@remix-run/react';
import { CsrfInput } from '~/components/auth/csrf-input';
import {
  DataTable,
  FilterSelect,
  ListFilters,
  type DataTableColumn,
} from '~/components/data-table';
import { Badge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { Input, Label } from '~/components/ui/input';
import type { Lang } from '~/i18n/languages';
import { useLang, useT } from '~/i18n/use-t';
import { formatRub } from '~/utils/money';
import type { SortDir } from '~/utils/search-params';
import { SCAN_TYPES, type MatchMethod, type ScanType } from '~/utils/vocabularies';
import { SCAN_MATCH_STATES, type ScanListFilterValues } from '../scans-list.params';
import { MATCH_INTENT, UNMATCH_INTENT } from '../scans.schema';

/** A scan row as the loaders send it (instants as ISO strings). */
export interface ScanLogRow {
  id: number;
  clientEventId: string;
  scannedAt: string;
  receivedAt: string;
  storeCode: string;
  code: string;
  campaignCode: string;
  influencerName: string;
  scanType: ScanType;
  scannedBy: string;
  orderAmountKopecks: number | null;
  dupCount: number;
  lastDupAt: string | null;
  matched: boolean;
  matchMethod: MatchMethod | null;
  matchedAt: string | null;
  matchedByName: string | null;
  orderNumber: string | null;
  orderFinalKopecks: number | null;
  reversedAt: string | null;
}

export interface ScanLogCounts {
  total: number;
  unmatched: number;
  matched: number;
  reversed: number;
  withDuplicates: number;
  repeats: number;
}

export interface ScanSuggestion {
  orderNumber: string;
  finalKopecks: number;
  createdAt: string;
}

const LOCALES: Record<Lang, string> = { ru: 'ru-RU', zh: 'zh-CN', en: 'en-GB' };

/** Server and browser format the same instant in the same zone, so hydration matches. */
function formatTime(iso: string, lang: Lang, timeZone: string): string {
  return new Intl.DateTimeFormat(LOCALES[lang], {
    timeZone,
    dateStyle: 'short',
    timeStyle: 'medium',
  }).format(new Date(iso));
}

function MatchCell({ row, lang, timeZone }: { row: ScanLogRow; lang: Lang; timeZone: string }) {
  const t = useT();
  if (!row.matched) return <Badge tone="warning">{t('scans.match.unmatched')}</Badge>;
  return (
    <div className="space-y-1">
      <div className="flex flex-wrap items-center gap-1">
        {row.reversedAt ? (
          <Badge tone="danger">{t('scans.match.reversed')}</Badge>
        ) : (
          <Badge tone="success">{t('scans.match.matched')}</Badge>
        )}
        {row.matchMethod ? <Badge>{t(`scans.method.${row.matchMethod}`)}</Badge> : null}
      </div>
      <p className="font-mono text-xs">
        {row.orderNumber}
        {row.orderFinalKopecks !== null ? ` · ${formatRub(row.orderFinalKopecks, lang)}` : ''}
      </p>
      {row.matchedByName ? (
        <p className="text-xs text-stone-500">
          {t('scans.matchedBy', { name: row.matchedByName })}
        </p>
      ) : null}
      {row.reversedAt ? (
        <p className="text-xs text-stone-500">
          {t('scans.reversedAt', { time: formatTime(row.reversedAt, lang, timeZone) })}
        </p>
      ) : null}
    </div>
  );
}

/** Order number (with nearby orders offered) + Match, or Unmatch for a matched scan. */
function RowActions({
  row,
  suggestions,
  lang,
  timeZone,
}: {
  row: ScanLogRow;
  suggestions: readonly ScanSuggestion[];
  lang: Lang;
  timeZone: string;
}) {
  const t = useT();
  if (row.matched) {
    return (
      <Form method="post" className="flex justify-end">
        <CsrfInput />
        <input type="hidden" name="intent" value={UNMATCH_INTENT} />
        <input type="hidden" name="scanId" value={row.id} />
        <Button type="submit" size="sm" variant="ghost">
          {t('scans.action.unmatch')}
        </Button>
      </Form>
    );
  }
  const listId = `scan-${row.id}-orders`;
  return (
    <Form method="post" className="flex items-center justify-end gap-2">
      <CsrfInput />
      <input type="hidden" name="intent" value={MATCH_INTENT} />
      <input type="hidden" name="scanId" value={row.id} />
      <Input
        name="orderNumber"
        required
        maxLength={50}
        list={suggestions.length ? listId : undefined}
        placeholder={t('scans.orderNumber')}
        aria-label={t('scans.orderNumberFor', { id: row.id })}
        className="h-8 w-40 font-mono text-xs"
      />
      {suggestions.length ? (
        <datalist id={listId}>
          {suggestions.map((s) => (
            <option key={s.orderNumber} value={s.orderNumber}>
              {formatRub(s.finalKopecks, lang)} · {formatTime(s.createdAt, lang, timeZone)}
            </option>
          ))}
        </datalist>
      ) : null}
      <Button type="submit" size="sm" variant="secondary">
        {t('scans.action.match')}
      </Button>
    </Form>
  );
}

export function ScanLog({
  rows,
  counts,
  filters,
  sort,
  pagination,
  suggestions,
  timeZone,
  stores,
}: {
  rows: readonly ScanLogRow[];
  counts: ScanLogCounts;
  filters: ScanListFilterValues;
  sort: { sort: string; dir: SortDir };
  pagination: { page: number; pageSize: number; total: number };
  suggestions: Readonly<Record<string, readonly ScanSuggestion[]>>;
  timeZone: string;
  /** The admin page's store filter and column; a store's own page leaves them out. */
  stores?: readonly { id: number; code: string }[];
}) {
  const t = useT();
  const lang = useLang();
  const columns: DataTableColumn<ScanLogRow>[] = [
    {
      id: 'scanned',
      header: t('scans.column.scannedAt'),
      sortKey: 'scanned',
      className: 'whitespace-nowrap',
      cell: (r) => (
        <div>
          <time dateTime={r.scannedAt}>{formatTime(r.scannedAt, lang, timeZone)}</time>
          <p className="text-xs text-stone-500">
            {t('scans.receivedAt', { time: formatTime(r.receivedAt, lang, timeZone) })}
          </p>
        </div>
      ),
    },
    ...(stores
      ? [{ id: 'store', header: t('scans.column.store'), cell: (r: ScanLogRow) => r.storeCode }]
      : []),
    {
      id: 'code',
      header: t('scans.column.code'),
      cell: (r) => (
        <div>
          <span className="font-mono font-medium">{r.code}</span>
          <p className="text-xs text-stone-500">
            {r.influencerName} · {r.campaignCode}
          </p>
        </div>
      ),
    },
    {
      id: 'type',
      header: t('scans.column.type'),
      cell: (r) => (
        <div>
          <Badge tone="info">{t(`scans.type.${r.scanType}`)}</Badge>
          <p className="mt-1 text-xs text-stone-500">{r.scannedBy}</p>
        </div>
      ),
    },
    {
      id: 'amount',
      header: t('scans.column.amount'),
      align: 'right',
      className: 'whitespace-nowrap',
      cell: (r) =>
        r.orderAmountKopecks === null ? (
          <span className="text-stone-400">{t('scans.noAmount')}</span>
        ) : (
          formatRub(r.orderAmountKopecks, lang)
        ),
    },
    {
      id: 'dups',
      header: t('scans.column.duplicates'),
      align: 'right',
      cell: (r) =>
        r.dupCount === 0 ? (
          <span className="text-stone-400">0</span>
        ) : (
          <span title={r.lastDupAt ? formatTime(r.lastDupAt, lang, timeZone) : undefined}>
            {r.dupCount}
          </span>
        ),
    },
    {
      id: 'match',
      header: t('scans.column.match'),
      cell: (r) => <MatchCell row={r} lang={lang} timeZone={timeZone} />,
    },
    {
      id: 'actions',
      header: <span className="sr-only">{t('scans.column.actions')}</span>,
      align: 'right',
      cell: (r) => (
        <RowActions
          row={r}
          suggestions={suggestions[String(r.id)] ?? []}
          lang={lang}
          timeZone={timeZone}
        />
      ),
    },
  ];

  return (
    <>
      <ListFilters>
        <div className="space-y-1.5">
          <Label htmlFor="scans-from">{t('scans.filter.from')}</Label>
          <Input id="scans-from" type="date" name="from" defaultValue={filters.from ?? ''} />
        </div>
        <div className="space-y-1.5">
          <Label htmlFor="scans-to">{t('scans.filter.to')}</Label>
          <Input id="scans-to" type="date" name="to" defaultValue={filters.to ?? ''} />
        </div>
        <div className="space-y-1.5">
          <Label htmlFor="scans-code">{t('scans.filter.code')}</Label>
          <Input
            id="scans-code"
            name="code"
            maxLength={32}
            defaultValue={filters.code ?? ''}
            placeholder="A1234"
            className="w-28 font-mono"
          />
        </div>
        {stores ? (
          <FilterSelect
            name="store"
            label={t('scans.filter.store')}
            value={filters.store === undefined ? undefined : String(filters.store)}
            options={stores.map((s) => ({ value: String(s.id), label: s.code }))}
          />
        ) : null}
        <FilterSelect
          name="match"
          label={t('scans.filter.match')}
          value={filters.match}
          options={SCAN_MATCH_STATES.map((s) => ({ value: s, label: t(`scans.match.${s}`) }))}
        />
        <FilterSelect
          name="type"
          label={t('scans.filter.type')}
          value={filters.type}
          options={SCAN_TYPES.map((s) => ({ value: s, label: t(`scans.type.${s}`) }))}
        />
        <FilterSelect
          name="dups"
          label={t('scans.filter.duplicates')}
          value={filters.dups === true ? 'true' : undefined}
          options={[{ value: 'true', label: t('scans.filter.duplicatesOnly') }]}
        />
      </ListFilters>
      <p className="mb-3 flex flex-wrap gap-x-4 gap-y-1 text-sm text-stone-600">
        <span>{t('scans.counts.total', { n: counts.total })}</span>
        <span>{t('scans.counts.unmatched', { n: counts.unmatched })}</span>
        <span>{t('scans.counts.matched', { n: counts.matched })}</span>
        <span>{t('scans.counts.reversed', { n: counts.reversed })}</span>
        <span>
          {t('scans.counts.duplicates', { n: counts.withDuplicates, repeats: counts.repeats })}
        </span>
      </p>
      <DataTable
        columns={columns}
        rows={rows}
        rowKey={(r) => r.id}
        sort={sort}
        pagination={pagination}
        caption={t('scans.title')}
      />
    </>
  );
}
