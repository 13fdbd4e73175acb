import type { ActionFunctionArgs } from '@remix-run/node';
import { handleScanBatch, scanApiError } from '~/features/scans/scans-api.server';

/**
 * POST /api/v1/scans — offline influencer-code scans from a store's POS or cashier app (OS-2).
 * `Authorization: Bearer <device key>`; body `{"events":[…]}` with 1..500 events; 200 with one
 * result per event in input order. Contract: docs/api/scans.openapi.json.
 */
export function action({ request, context }: ActionFunctionArgs) {
  return handleScanBatch(request, { db: context.db, requestId: context.requestId });
}

/** POST only. */
export function loader() {
  return scanApiError('METHOD_NOT_ALLOWED', { method: 'GET' }, { Allow: 'POST' });
}
