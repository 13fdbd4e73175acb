import type { Db } from '~db/database.server';
import type { DashboardStoreOption } from './components/dashboard-filters';

/** Every store (active or not: history keeps their rows) for the dashboards' store filter. */
export async function listDashboardStores(db: Db): Promise<DashboardStoreOption[]> {
  return db
    .selectFrom('store')
    .select(['id', 'code', 'name_ru', 'name_zh', 'name_en'])
    .orderBy('code')
    .execute();
}
