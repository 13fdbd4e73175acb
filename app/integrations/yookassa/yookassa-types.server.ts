import { z } from 'zod';

/**
 * YooKassa API v3 objects as CTEA reads them (integrations.md §2). Only the fields the payment
 * flow uses are checked; everything else the provider sends is kept as is (loose objects), so the
 * sanitized payload stored on `payment_transaction.last_provider_payload` is complete.
 */

export const amountSchema = z.object({
  value: z.string().regex(/^\d{1,10}\.\d{2}$/),
  currency: z.string().length(3),
});
export type YooKassaAmount = z.infer<typeof amountSchema>;

const cancellationSchema = z.looseObject({ party: z.string(), reason: z.string() });

export const PAYMENT_STATUSES = [
  'pending',
  'waiting_for_capture',
  'succeeded',
  'canceled',
] as const;
export type YooKassaPaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const paymentSchema = z.looseObject({
  id: z.string().min(1).max(100),
  status: z.enum(PAYMENT_STATUSES),
  paid: z.boolean().optional(),
  amount: amountSchema,
  description: z.string().optional(),
  confirmation: z
    .looseObject({ type: z.string(), confirmation_url: z.string().optional() })
    .optional(),
  cancellation_details: cancellationSchema.optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  created_at: z.string().optional(),
  captured_at: z.string().optional(),
  expires_at: z.string().optional(),
});
export type YooKassaPayment = z.infer<typeof paymentSchema>;

export const REFUND_STATUSES = ['pending', 'succeeded', 'canceled'] as const;
export type YooKassaRefundStatus = (typeof REFUND_STATUSES)[number];

export const refundSchema = z.looseObject({
  id: z.string().min(1).max(100),
  payment_id: z.string().min(1),
  status: z.enum(REFUND_STATUSES),
  amount: amountSchema,
  cancellation_details: cancellationSchema.optional(),
  created_at: z.string().optional(),
});
export type YooKassaRefund = z.infer<typeof refundSchema>;

export const errorSchema = z.looseObject({
  type: z.literal('error').optional(),
  code: z.string(),
  description: z.string().optional(),
  parameter: z.string().optional(),
});

/**
 * A notification ("HTTP-уведомление"). Only a hint (PY-6): the handler re-fetches the object by
 * id and trusts that answer, so nothing but the event and the id is read from here.
 */
export const notificationSchema = z.object({
  type: z.literal('notification'),
  event: z.string().min(1).max(100),
  object: z.looseObject({ id: z.string().min(1).max(100) }),
});
export type YooKassaNotification = z.infer<typeof notificationSchema>;

/** 54-FZ receipt (sent when `payments.receipt_enabled`); fields per the provider's reference. */
export interface YooKassaReceipt {
  customer: { phone?: string; email?: string };
  items: {
    description: string;
    quantity: string;
    amount: YooKassaAmount;
    vat_code: number;
    payment_mode: 'full_prepayment';
    payment_subject: 'commodity' | 'service';
  }[];
}

/**
 * The outcome of one call. `unknown` is "result unknown" (PY-4): HTTP 500, 429, a timeout, a
 * network error or an unreadable answer; the caller retries later with the same Idempotence-Key.
 * `rejected` is a definite 4xx refusal: the operation did not happen.
 */
export type YooKassaResult<T> =
  | { ok: true; object: T; httpStatus: number }
  | {
      ok: false;
      kind: 'rejected';
      httpStatus: number;
      code: string;
      description: string;
      parameter?: string;
    }
  | {
      ok: false;
      kind: 'unknown';
      reason: 'timeout' | 'network' | 'server_error' | 'too_many_requests' | 'invalid_response';
      httpStatus?: number;
    };

export interface CreatePaymentInput {
  amountKopecks: number;
  returnUrl: string;
  /** ≤ 128 characters, e.g. "Заказ P202601060001". */
  description: string;
  metadata: Record<string, string>;
  receipt?: YooKassaReceipt;
}

export interface CreateRefundInput {
  paymentId: string;
  amountKopecks: number;
  description?: string;
}

export interface CallOptions {
  /** Aborts the call (a job's timeout); counts as a timeout: result unknown. */
  signal?: AbortSignal;
}

export interface YooKassaClient {
  createPayment(
    input: CreatePaymentInput,
    idempotenceKey: string,
    options?: CallOptions,
  ): Promise<YooKassaResult<YooKassaPayment>>;
  getPayment(paymentId: string, options?: CallOptions): Promise<YooKassaResult<YooKassaPayment>>;
  capturePayment(
    paymentId: string,
    amountKopecks: number,
    idempotenceKey: string,
    options?: CallOptions,
  ): Promise<YooKassaResult<YooKassaPayment>>;
  cancelPayment(
    paymentId: string,
    idempotenceKey: string,
    options?: CallOptions,
  ): Promise<YooKassaResult<YooKassaPayment>>;
  createRefund(
    input: CreateRefundInput,
    idempotenceKey: string,
    options?: CallOptions,
  ): Promise<YooKassaResult<YooKassaRefund>>;
  getRefund(refundId: string, options?: CallOptions): Promise<YooKassaResult<YooKassaRefund>>;
}
