import { getReplicaDb, type Db } from '~db/database.server';
import type { RefreshOptions } from './rollup.service.server';

/**
 * Where the dashboard loaders read (issue 8, ADR 0016 amended): the read-only replica of
 * DATABASE_REPLICA_URL when it is set — then they write nothing and show the rollups as the worker
 * last refreshed them on the primary — otherwise the request's own database, refreshing the
 * rollups on read as before.
 */
export function dashboardReader(primary: Db): { db: Db; opts: RefreshOptions } {
  const replica = getReplicaDb();
  return replica ? { db: replica, opts: { readOnly: true } } : { db: primary, opts: {} };
}
