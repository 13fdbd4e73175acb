import type { JobOutcome } from '~/features/jobs/job-types';
import { IikoError, type IikoExchange } from '~/integrations/iiko/iiko-client.server';
import { fromDecimal, type Kopecks } from '~/utils/money';

/**
 * Shared pieces of the iiko job handlers: turning client errors and exchanges into the attempt's
 * outcome (IK-4), and iiko's money (JSON numbers of rubles) into kopecks at the edge.
 */

/** The summaries of the exchanges of one attempt, joined for the log row. */
export function joinSummaries(exchanges: IikoExchange[]): {
  requestSummary?: string;
  responseSummary?: string;
  httpStatus?: number;
} {
  const last = exchanges.at(-1);
  const request = exchanges.map((e) => e.requestSummary).join('\n');
  const response = exchanges
    .map((e) =>
      [e.httpStatus === null ? 'no answer' : `HTTP ${e.httpStatus}`, e.responseSummary]
        .filter(Boolean)
        .join(' '),
    )
    .join('\n');
  return {
    ...(request ? { requestSummary: request } : {}),
    ...(response ? { responseSummary: response } : {}),
    ...(last?.httpStatus != null ? { httpStatus: last.httpStatus } : {}),
  };
}

/** A failed attempt from an error thrown by the client (anything else rethrows). */
export function failureFromError(err: unknown, earlier: IikoExchange[] = []): JobOutcome {
  if (!(err instanceof IikoError)) throw err;
  return {
    ok: false,
    retryable: err.retryable,
    errorCode: err.code,
    message: err.message,
    ...joinSummaries([...earlier, err.exchange]),
  };
}

/** iiko's price in rubles → kopecks; null for a missing or negative price. */
export function rublesToKopecks(value: number | null | undefined): Kopecks | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return null;
  return fromDecimal(value.toFixed(2));
}

/** Kopecks → iiko's JSON number of rubles (exact for two decimals). */
export function kopecksToRubles(value: number): number {
  return Number((value / 100).toFixed(2));
}

export const notConfigured: JobOutcome = {
  ok: false,
  retryable: false,
  errorCode: 'IIKO_NOT_CONFIGURED',
  message: 'IIKO_API_BASE_URL, IIKO_API_LOGIN and IIKO_ORGANIZATION_ID must be set',
};
