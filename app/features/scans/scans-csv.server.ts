import type { Db } from '~db/database.server';
import type { Lang } from '~/i18n/languages';
import { translator } from '~/i18n/translate';
import { csvMoney, toCsv } from '~/features/influencers/report-csv';
import type { ScanScope } from './matching.server';
import { listScansForExport, type ScanFilters } from './scans-list.server';

/**
 * The scan log with the list's filters as a CSV file (the Excel conventions of ADR 0006: BOM,
 * `;`, decimal comma, CRLF). Times are local to the list's zone, written so that spreadsheets
 * read them as date-times.
 */

function localTime(value: Date | null, timeZone: string): string | null {
  if (!value) return null;
  // sv-SE formats as "2026-01-06 14:05:09"
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(value);
}

export async function scansCsv(
  db: Db,
  lang: Lang,
  args: { scope: ScanScope; filters: ScanFilters; timeZone: string },
): Promise<string> {
  const t = translator(lang);
  const rows = await listScansForExport(db, args);
  const header = [
    t('scans.csv.scanId'),
    t('scans.csv.clientEventId'),
    t('scans.csv.scannedAt', { zone: args.timeZone }),
    t('scans.csv.receivedAt', { zone: args.timeZone }),
    t('scans.column.store'),
    t('scans.column.code'),
    t('scans.csv.campaign'),
    t('scans.csv.influencer'),
    t('scans.column.type'),
    t('scans.column.scannedBy'),
    t('scans.column.amount'),
    t('scans.column.duplicates'),
    t('scans.csv.lastDuplicateAt', { zone: args.timeZone }),
    t('scans.csv.matchState'),
    t('scans.csv.matchMethod'),
    t('scans.csv.orderNumber'),
    t('scans.csv.orderAmount'),
    t('scans.csv.matchedAt', { zone: args.timeZone }),
    t('scans.csv.reversedAt', { zone: args.timeZone }),
  ];
  return toCsv(
    header,
    rows.map((r) => [
      r.id,
      r.clientEventId,
      localTime(r.scannedAt, args.timeZone),
      localTime(r.receivedAt, args.timeZone),
      r.storeCode,
      r.code,
      r.campaignCode,
      r.influencerName,
      t(`scans.type.${r.scanType}`),
      r.scannedBy,
      r.orderAmountKopecks === null ? null : csvMoney(r.orderAmountKopecks),
      r.dupCount,
      localTime(r.lastDupAt, args.timeZone),
      t(
        r.reversedAt
          ? 'scans.match.reversed'
          : r.matched
            ? 'scans.match.matched'
            : 'scans.match.unmatched',
      ),
      r.matchMethod ? t(`scans.method.${r.matchMethod}`) : null,
      r.orderNumber,
      r.orderFinalKopecks === null ? null : csvMoney(r.orderFinalKopecks),
      localTime(r.matchedAt, args.timeZone),
      localTime(r.reversedAt, args.timeZone),
    ]),
  );
}

/** The Response of a CSV route: a download named after the scope and today's date. */
export function csvResponse(body: string, name: string): Response {
  const date = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    status: 200,
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}-${date}.csv"`,
      'Cache-Control': 'no-store',
    },
  });
}
