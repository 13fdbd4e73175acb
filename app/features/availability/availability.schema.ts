import { z } from 'zod';
import { STOCK_STATUSES } from '~/utils/vocabularies';

/**
 * The manager's availability form (issue 3 item 7). Only these fields are read: anything else a
 * crafted POST carries (price_override, is_active, store_id …) is dropped by the object schema, so
 * prices and listings stay admin-only whatever is submitted.
 */

export const SET_STOCK_INTENT = 'set-stock';

export const setStockSchema = z.object({
  intent: z.literal(SET_STOCK_INTENT),
  productId: z.coerce
    .number({ error: 'availability.error.productInvalid' })
    .int({ error: 'availability.error.productInvalid' })
    .min(1, { error: 'availability.error.productInvalid' })
    .max(2_147_483_647, { error: 'availability.error.productInvalid' }),
  stockStatus: z.enum(STOCK_STATUSES, { error: 'availability.error.statusInvalid' }),
});
export type SetStockInput = z.infer<typeof setStockSchema>;
