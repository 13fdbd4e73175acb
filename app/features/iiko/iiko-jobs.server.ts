import type { JobHandler } from '~/features/jobs/job-types';
import {
  getOptionalIikoClient,
  IikoError,
  type IikoClient,
} from '~/integrations/iiko/iiko-client.server';
import { failureFromError, joinSummaries, notConfigured } from './iiko-outcome.server';
import { getMenuRevision, importNomenclature } from './menu-import.service.server';
import { applyStopList, getStopListStore } from './stop-list.service.server';

/**
 * The MENU_IMPORT and STOP_LIST job handlers (IK-2, IK-8, IK-11). Each attempt makes its iiko
 * call(s) first and only then opens its transaction, so no row lock is ever held across HTTP.
 */

export interface IikoJobDeps {
  /** The iiko client (null when the deployment has no iiko configuration). */
  client: () => IikoClient | null;
}

function storeIdOf(resourceId: string): number | null {
  const match = /^store:(\d{1,10})$/.exec(resourceId);
  const id = match ? Number(match[1]) : NaN;
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** IK-8: `org:<organization id>`; the job imports the organisation the client is configured for. */
export function createMenuImportHandler(deps: IikoJobDeps): JobHandler {
  return async ({ db, job, signal }) => {
    const client = deps.client();
    if (!client) return notConfigured;
    if (job.resourceId !== `org:${client.organizationId}`)
      return {
        ok: false,
        retryable: false,
        errorCode: 'INVALID_RESOURCE',
        message: `not this deployment's organisation: ${job.resourceId}`,
      };
    const revisionFrom = await getMenuRevision(db);
    let answer;
    try {
      answer = await client.nomenclature(revisionFrom, { signal });
    } catch (err) {
      return failureFromError(err);
    }
    const summaries = joinSummaries([answer.exchange]);
    if (answer.data.revision === revisionFrom)
      return { ok: true, result: { unchanged: true, revision: revisionFrom }, ...summaries };
    const result = await importNomenclature(db, { nomenclature: answer.data, revisionFrom });
    return { ok: true, result: { ...result }, ...summaries };
  };
}

/** IK-11: `store:<id>`; a store without a terminal group (or inactive) has nothing to sync. */
export function createStopListHandler(deps: IikoJobDeps): JobHandler {
  return async ({ db, job, signal }) => {
    const client = deps.client();
    if (!client) return notConfigured;
    const storeId = storeIdOf(job.resourceId);
    if (storeId === null)
      return {
        ok: false,
        retryable: false,
        errorCode: 'INVALID_RESOURCE',
        message: `not a store resource: ${job.resourceId}`,
      };
    const store = await getStopListStore(db, storeId);
    if (!store)
      return {
        ok: false,
        retryable: false,
        errorCode: 'STORE_NOT_FOUND',
        message: `store ${storeId} does not exist`,
      };
    if (!store.terminalGroupId || !store.isActive)
      return {
        ok: true,
        result: { skipped: true, reason: store.terminalGroupId ? 'inactive' : 'not_connected' },
      };
    const tg = store.terminalGroupId;
    let answer;
    try {
      answer = await client.stopLists([tg], { signal });
    } catch (err) {
      if (err instanceof IikoError) return failureFromError(err);
      throw err;
    }
    const balances = new Map<string, number>();
    for (const org of answer.data.terminalGroupStopLists) {
      for (const group of org.items) {
        if (group.terminalGroupId !== tg) continue;
        for (const item of group.items) {
          // several sizes of one product: the lowest balance decides
          const prev = balances.get(item.productId);
          balances.set(
            item.productId,
            prev === undefined ? item.balance : Math.min(prev, item.balance),
          );
        }
      }
    }
    const result = await applyStopList(db, { storeId, terminalGroupId: tg, balances });
    return { ok: true, result: { ...result }, ...joinSummaries([answer.exchange]) };
  };
}

export const menuImportHandler = createMenuImportHandler({ client: getOptionalIikoClient });
export const stopListHandler = createStopListHandler({ client: getOptionalIikoClient });
