import { z } from 'zod';

/**
 * One-shot confirmations of the storefront ("added to cart", "order cancelled"): a message key of
 * the catalogue and its parameters, carried to the next page by a flash cookie. Only these keys
 * can be flashed, so a cookie can never make the page show an arbitrary catalogue entry.
 */
export const TOAST_KEYS = [
  'cart.toast.added',
  'cart.toast.addedCapped',
  'cart.toast.cleared',
  'shop.order.toast.cancelled',
] as const;

export type ToastKey = (typeof TOAST_KEYS)[number];

export const toastSchema = z.object({
  key: z.enum(TOAST_KEYS),
  params: z.record(z.string().max(40), z.union([z.string().max(200), z.number()])).default({}),
  /** Distinguishes two identical toasts in a row, so the second one shows again. */
  id: z.string().max(40),
});

export type Toast = z.output<typeof toastSchema>;
