import { isIP } from 'node:net';
import type { Kysely } from 'kysely';
import type { DB } from '~db/types.generated';
import {
  createMemberSession,
  hashSessionToken,
  revokeSession,
  type CreatedSession,
} from '~/auth/session.server';
import { writeAudit } from '~/features/audit/audit.server';
import { CheckoutError } from '~/features/checkout/checkout-errors';
import { applyPointsChange } from '~/features/points/points-ledger.server';
import { getIntSetting, getPointsSettings } from '~/features/settings/app-settings.server';
import { DEFAULT_LANG, type Lang } from '~/i18n/languages';
import { translate } from '~/i18n/translate';
import { getSmsClient, SmsSendError, type SmsClient } from '~/integrations/sms/sms-client.server';
import { logger } from '~/utils/logger.server';
import { maskPhone } from '~/utils/sanitize';
import { normalizePhone } from './phone';
import {
  CODE_TTL_SECONDS,
  codeMatches,
  codeState,
  consumeCode,
  countAttempt,
  expireCode,
  findActiveCode,
  findOrCreateMember,
  generateCode,
  hashCode,
  insertCode,
  latestCode,
  lockCode,
  lockSendKeys,
  MAX_CODE_ATTEMPTS,
  readSendWindow,
  RESEND_INTERVAL_SECONDS,
  sendRetryAfter,
  supersedeActiveCode,
} from './phone-auth.server';
import { normalizeCode } from './phone-auth.schema';

/**
 * Customer sign-in by a one-time SMS code (AU-1 … AU-6). Every refusal is a CheckoutError with a
 * §2.16 code; routes turn it into `{"error":{code,message_key,details}}`. Codes and full phone
 * numbers never reach the logs.
 */

/** `verification_code.ip_address` is NOT NULL; requests without a usable address share one budget. */
const UNKNOWN_IP = '0.0.0.0';

const SETTING_DEFAULTS = { phoneCap: 10, ipCap: 20 };

export interface SendCodeArgs {
  phone: string;
  ip: string | null;
  userAgent: string | null;
  /** Language of the SMS text. */
  lang?: Lang;
}

/** AU-3: the same answer for every phone, registered or not. */
export interface SendCodeAnswer {
  expires_in: number;
  resend_in: number;
}

function phoneOrThrow(input: string): string {
  const phone = normalizePhone(input);
  if (!phone) throw new CheckoutError('INVALID_PHONE');
  return phone;
}

/**
 * AU-2: one transaction under the phone's advisory lock checks the resend interval and both daily
 * caps, supersedes the ACTIVE code and stores the new one (hash only). The SMS goes out after the
 * commit, so no lock is held across the HTTP call. The member table is not read (AU-3).
 */
export async function sendCode(
  db: Kysely<DB>,
  args: SendCodeArgs,
  deps: { sms?: SmsClient } = {},
): Promise<SendCodeAnswer> {
  const phone = phoneOrThrow(args.phone);
  const ip = args.ip && isIP(args.ip) ? args.ip : UNKNOWN_IP;
  const code = generateCode();

  const outcome = await db.transaction().execute(async (trx) => {
    await lockSendKeys(trx, phone, ip);
    const caps = {
      phoneCap: await getIntSetting(trx, 'sms.per_phone_daily_cap', SETTING_DEFAULTS.phoneCap),
      ipCap: await getIntSetting(trx, 'sms.per_ip_daily_cap', SETTING_DEFAULTS.ipCap),
    };
    const window = await readSendWindow(trx, { phone, ip, ...caps });
    const retryAfter = sendRetryAfter(window, caps);
    if (retryAfter > 0) return { retryAfter } as const;
    await supersedeActiveCode(trx, phone);
    const row = await insertCode(trx, {
      phone,
      codeHash: hashCode(phone, code),
      ip,
      userAgent: args.userAgent,
    });
    return { verificationId: row.id } as const;
  });

  if ('retryAfter' in outcome) {
    logger.info(
      { event: 'auth.code_rate_limited', phone: maskPhone(phone), retryAfterS: outcome.retryAfter },
      'sign-in code refused: rate limited',
    );
    throw new CheckoutError('RATE_LIMITED', { retry_after_s: outcome.retryAfter });
  }

  const text = translate(args.lang ?? DEFAULT_LANG, 'signin.sms.text', { code });
  try {
    await (deps.sms ?? getSmsClient()).send(phone, text);
  } catch (err) {
    if (!(err instanceof SmsSendError)) throw err;
    // the stored code stays: if the gateway delivered despite the error it still works
    logger.error(
      {
        event: 'auth.code_not_sent',
        phone: maskPhone(phone),
        verificationId: outcome.verificationId,
        kind: err.kind,
      },
      'sign-in code could not be sent',
    );
    throw new CheckoutError('SMS_UNAVAILABLE', { retry_after_s: RESEND_INTERVAL_SECONDS });
  }
  logger.info(
    { event: 'auth.code_sent', phone: maskPhone(phone), verificationId: outcome.verificationId },
    'sign-in code sent',
  );
  return { expires_in: CODE_TTL_SECONDS, resend_in: RESEND_INTERVAL_SECONDS };
}

export interface VerifyCodeArgs {
  phone: string;
  code: string;
  ip: string | null;
  userAgent: string | null;
  /** The session cookie the browser carried, revoked on success (no fixation, no stale session). */
  previousSessionToken?: string | null;
  requestId?: string;
}

export interface VerifiedSignIn {
  memberId: number;
  displayName: string;
  isNewMember: boolean;
  session: CreatedSession;
}

/** No ACTIVE code to check: LOCKED (or used up) → TOO_MANY_ATTEMPTS, anything else → CODE_EXPIRED. */
function noUsableCode(state: { status: string; attempts: number } | null): CheckoutError {
  const exhausted =
    state?.status === 'LOCKED' ||
    (state?.status === 'ACTIVE' && state.attempts >= MAX_CODE_ATTEMPTS);
  return new CheckoutError(exhausted ? 'TOO_MANY_ATTEMPTS' : 'CODE_EXPIRED');
}

/**
 * AU-4 then AU-5. The attempt is counted (its own conditional UPDATE, committed whatever the
 * outcome) before the constant-time comparison. A right code is consumed in the same transaction
 * that finds or creates the member, grants the signup bonus once per phone and opens the session,
 * so of several concurrent right answers exactly one signs in.
 */
export async function verifyCode(db: Kysely<DB>, args: VerifyCodeArgs): Promise<VerifiedSignIn> {
  const phone = phoneOrThrow(args.phone);
  const code = normalizeCode(args.code);
  if (!code) {
    throw new CheckoutError('VALIDATION_FAILED', { fields: { code: 'signin.error.codeFormat' } });
  }

  const active = await findActiveCode(db, phone);
  if (!active) throw noUsableCode(await latestCode(db, phone));
  if (active.expired) {
    await expireCode(db, active.id);
    throw new CheckoutError('CODE_EXPIRED');
  }

  const attempts = await countAttempt(db, active.id);
  if (attempts === null) throw noUsableCode(await codeState(db, active.id));

  if (!codeMatches(active.codeHash, phone, code)) {
    if (attempts >= MAX_CODE_ATTEMPTS) {
      await lockCode(db, active.id);
      logger.info(
        { event: 'auth.code_locked', phone: maskPhone(phone), verificationId: active.id },
        'sign-in code locked after too many attempts',
      );
      throw new CheckoutError('TOO_MANY_ATTEMPTS');
    }
    throw new CheckoutError('INVALID_CODE', { attempts_left: MAX_CODE_ATTEMPTS - attempts });
  }

  const ip = args.ip && isIP(args.ip) ? args.ip : null;
  const result = await db.transaction().execute(async (trx) => {
    if (!(await consumeCode(trx, active.id))) return { outcome: 'consumed' } as const;
    const member = await findOrCreateMember(trx, phone);
    // the code is spent either way; an inactive member just gets no session
    if (!member.isActive) return { outcome: 'inactive', memberId: member.id } as const;

    const { signupBonus } = await getPointsSettings(trx);
    if (signupBonus > 0) {
      // PT-4: keyed by phone, so a repeat (or a second member row for the phone) changes nothing
      await applyPointsChange(trx, {
        memberId: member.id,
        delta: signupBonus,
        reason: 'SIGNUP_BONUS',
        idempotencyKey: `signup_bonus:${phone}`,
      });
    }
    if (args.previousSessionToken) {
      await revokeSession(trx, hashSessionToken(args.previousSessionToken));
    }
    const session = await createMemberSession(trx, {
      memberId: member.id,
      ip,
      userAgent: args.userAgent,
    });
    await writeAudit(trx, {
      actorType: 'MEMBER',
      actorMemberId: member.id,
      action: 'member.login',
      entityType: 'member',
      entityId: member.id,
      after: { session_id: session.sessionId, is_new_member: member.isNew },
      requestId: args.requestId ?? null,
      ip,
    });
    return {
      outcome: 'signed_in',
      memberId: member.id,
      displayName: member.displayName,
      isNewMember: member.isNew,
      session,
    } as const;
  });

  if (result.outcome === 'consumed') throw new CheckoutError('CODE_EXPIRED');
  if (result.outcome === 'inactive') {
    logger.warn(
      { event: 'auth.member_inactive', memberId: result.memberId },
      'inactive member tried to sign in',
    );
    throw new CheckoutError('FORBIDDEN', { reason: 'MEMBER_INACTIVE' });
  }
  logger.info(
    {
      event: 'auth.member_signed_in',
      memberId: result.memberId,
      isNewMember: result.isNewMember,
      sessionId: result.session.sessionId,
    },
    'member signed in',
  );
  return {
    memberId: result.memberId,
    displayName: result.displayName,
    isNewMember: result.isNewMember,
    session: result.session,
  };
}

/** Sign-out (AU-9): the session row is revoked and the sign-out recorded. */
export async function signOutMember(
  db: Kysely<DB>,
  args: {
    memberId: number;
    sessionId: number;
    tokenHash: string;
    ip: string | null;
    requestId?: string;
  },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (!(await revokeSession(trx, args.tokenHash))) return;
    await writeAudit(trx, {
      actorType: 'MEMBER',
      actorMemberId: args.memberId,
      action: 'member.logout',
      entityType: 'member',
      entityId: args.memberId,
      after: { session_id: args.sessionId },
      requestId: args.requestId ?? null,
      ip: args.ip && isIP(args.ip) ? args.ip : null,
    });
  });
}
