import { sql } from 'kysely';
import type { Db } from '~db/database.server';
import { enqueueJob } from '~/features/jobs/job-queue.server';
import { getIntSetting } from '~/features/settings/app-settings.server';
import { getEnv, type Env } from '~/utils/env.server';
import { isIikoConfigured } from '~/integrations/iiko/iiko-client.server';

/**
 * The periodic iiko jobs (IK-2): MENU_IMPORT of the organisation every
 * `iiko.menu_import_interval_minutes`, STOP_LIST of every active connected store every
 * `iiko.stop_list_interval_minutes`. Run by a periodic task (app/features/jobs/periodic.server.ts)
 * far more often than either interval; a resource gets a new job once its last one was created
 * longer than the interval ago. Enqueueing is `ON CONFLICT DO NOTHING`, so overlapping runs or a
 * PENDING job already waiting add nothing.
 */

export interface ScheduledIikoJobs {
  menuImport: number | null;
  stopLists: number[];
}

export async function enqueueScheduledIikoJobs(
  db: Db,
  env: Env = getEnv(),
): Promise<ScheduledIikoJobs | null> {
  if (!isIikoConfigured(env)) return null;
  const menuMinutes = Math.max(1, await getIntSetting(db, 'iiko.menu_import_interval_minutes', 60));
  const stopMinutes = Math.max(1, await getIntSetting(db, 'iiko.stop_list_interval_minutes', 5));

  const recent = (type: string, resource: ReturnType<typeof sql>, minutes: number) =>
    sql<boolean>`exists (select 1 from iiko_sync_job j
                          where j.job_type = ${type} and j.resource_id = ${resource}
                            and j.created_at > now() - make_interval(mins => ${minutes}::integer))`;

  const orgResource = `org:${env.IIKO_ORGANIZATION_ID}`;
  const { rows: menuRows } = await sql<{ due: boolean }>`
    select not ${recent('MENU_IMPORT', sql`${orgResource}`, menuMinutes)} as due
  `.execute(db);
  const menuImport = menuRows[0]?.due
    ? await enqueueJob(db, { type: 'MENU_IMPORT', resourceId: orgResource })
    : null;

  const stores = await db
    .selectFrom('store as s')
    .select('s.id')
    .where('s.is_active', '=', true)
    .where('s.iiko_terminal_group_id', 'is not', null)
    .where(({ not }) => not(recent('STOP_LIST', sql`'store:' || s.id::text`, stopMinutes)))
    .orderBy('s.id')
    .execute();
  const stopLists: number[] = [];
  for (const store of stores) {
    const id = await enqueueJob(db, { type: 'STOP_LIST', resourceId: `store:${store.id}` });
    if (id !== null) stopLists.push(id);
  }
  return { menuImport, stopLists };
}
