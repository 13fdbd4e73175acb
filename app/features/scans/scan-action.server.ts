import type { Db } from '~db/database.server';
import type { StaffActor } from '~/features/audit/audit.server';
import type { ScanScope } from './matching.server';
import { matchScanToOrder, unmatchScan } from './matching.service.server';
import {
  MATCH_INTENT,
  SCAN_MATCH_ERROR_STATUS,
  scanActionSchema,
  type ScanMatchErrorCode,
} from './scans.schema';

/**
 * The match / unmatch forms of the scan logs, shared by /admin/scans and /manage/$storeId/scans.
 * The route has already checked access and CSRF; the scope decides which scans exist (RB-2).
 */

export type ScanFormErrorCode = ScanMatchErrorCode | 'INVALID_FORM';

export type ScanActionOutcome =
  | { ok: true; intent: 'match' | 'unmatch'; scanId: number }
  | { ok: false; status: number; error: { code: ScanFormErrorCode; scanId: number | null } };

export async function submitScanAction(
  db: Db,
  args: { formData: FormData; scope: ScanScope; actor: StaffActor },
): Promise<ScanActionOutcome> {
  const parsed = scanActionSchema.safeParse(Object.fromEntries(args.formData));
  if (!parsed.success) {
    const scanId = Number(args.formData.get('scanId'));
    return {
      ok: false,
      status: 400,
      error: { code: 'INVALID_FORM', scanId: Number.isSafeInteger(scanId) ? scanId : null },
    };
  }
  const form = parsed.data;
  const outcome =
    form.intent === MATCH_INTENT
      ? await matchScanToOrder(db, {
          scanId: form.scanId,
          orderNumber: form.orderNumber,
          scope: args.scope,
          actor: args.actor,
        })
      : await unmatchScan(db, { scanId: form.scanId, scope: args.scope, actor: args.actor });
  if (outcome.ok) return { ok: true, intent: form.intent, scanId: form.scanId };
  return {
    ok: false,
    status: SCAN_MATCH_ERROR_STATUS[outcome.error],
    error: { code: outcome.error, scanId: form.scanId },
  };
}

/** Where the list goes after a successful change: the same page and filters, with a notice. */
export function afterActionHref(
  request: Request,
  done: { intent: 'match' | 'unmatch'; scanId: number },
): string {
  const url = new URL(request.url);
  url.searchParams.delete('index');
  url.searchParams.delete('_data');
  url.searchParams.set('notice', done.intent === 'match' ? 'matched' : 'unmatched');
  url.searchParams.set('scan', String(done.scanId));
  return `${url.pathname}${url.search}`;
}
