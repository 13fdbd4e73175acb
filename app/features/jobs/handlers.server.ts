import { menuImportHandler, stopListHandler } from '~/features/iiko/iiko-jobs.server';
import { orderPushHandler } from '~/features/orders/order-push.server';
import type { JobHandlers } from './job-types';

/**
 * The handler of each job type the workers run. A type without an entry is never claimed: its
 * jobs stay PENDING until a release that handles them is deployed (IK-3 filters on these keys).
 */
export const jobHandlers: JobHandlers = {
  ORDER_PUSH: orderPushHandler,
  MENU_IMPORT: menuImportHandler,
  STOP_LIST: stopListHandler,
};
