import { z } from 'zod';
import { idField, safeText } from '~/utils/safe-text';

/**
 * The checkout request (CK-1), shared by the quote endpoint (CK-6) and placeOrder. Isomorphic: the
 * checkout page builds the same object. Shape errors are zod's (400 VALIDATION_FAILED); the
 * business limits (1..30 lines, quantity 1..99, option rules) are the pricing code's, with the
 * domain error codes of §2.16. Nothing here carries a price: the server prices from the database.
 */

// ids and free text are checked at this boundary: a boolean is not an id, and a NUL byte in an
// address would otherwise reach PostgreSQL and fail the insert (22021)
const id = idField();

/** A JSON number, or a form field's text of the given shape (never `true`, `[]` or `""`). */
const numberOrText = (shape: RegExp) =>
  z.union([z.number(), z.string().trim().regex(shape)]).transform(Number);
const DECIMAL_DEGREES = /^-?\d{1,3}(\.\d{1,12})?$/;

export const checkoutLineSchema = z.object({
  product_id: id,
  quantity: numberOrText(/^-?\d{1,4}$/).pipe(z.number().int().min(-1_000).max(1_000)),
  option_item_ids: z.array(id).max(50).default([]),
});

export const deliveryInputSchema = z.object({
  /** A saved delivery_address of the member; when set, the fields below are ignored. */
  address_id: id.optional(),
  address_line: safeText(500).optional(),
  apartment: safeText(20).optional(),
  entrance: safeText(20).optional(),
  floor: safeText(20).optional(),
  intercom: safeText(20).optional(),
  comment: safeText(500).optional(),
  latitude: numberOrText(DECIMAL_DEGREES).pipe(z.number().min(-90).max(90)).optional(),
  longitude: numberOrText(DECIMAL_DEGREES).pipe(z.number().min(-180).max(180)).optional(),
});

/** "350.00": two decimals, no sign, no exponent. */
export const decimalAmount = z.string().regex(/^\d{1,10}\.\d{2}$/, 'must look like 350.00');

export const checkoutBodySchema = z.object({
  store_id: id,
  order_type: z.enum(['PICKUP', 'DELIVERY']),
  lines: z.array(checkoutLineSchema).max(100),
  delivery: deliveryInputSchema.nullish(),
  coupon_instance_id: id.nullish(),
  use_points: z.boolean().default(false),
  expected_final_amount: decimalAmount,
  customer_name: safeText(100).nullish(),
});

/** The quote takes the same body; expected_final_amount is optional there. */
export const quoteBodySchema = checkoutBodySchema.extend({
  expected_final_amount: decimalAmount.optional(),
});

export type CheckoutLineInput = z.output<typeof checkoutLineSchema>;
export type DeliveryInput = z.output<typeof deliveryInputSchema>;
export type CheckoutBody = z.output<typeof checkoutBodySchema>;
export type QuoteBody = z.output<typeof quoteBodySchema>;

/** Idempotency-Key (CK-1): a UUID v4 made when the checkout page renders. */
export const idempotencyKeySchema = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i);
