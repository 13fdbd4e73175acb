import type { SubmissionResult } from '@conform-to/react';
import {
  json,
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type AppLoadContext,
  type TypedResponse,
} from '@remix-run/node';
import type { StaffUser } from '~/auth/guards.server';
import { MAX_UPLOAD_BYTES, saveImageUpload, UploadError } from '~/features/uploads/uploads.server';
import { asMenuFieldError, MenuNotFoundError } from './menu.service.server';
import { type StaffActor } from '~/features/audit/audit.server';

/**
 * Shared plumbing of the menu actions: every answer is `{ intent, result }` where `result` is
 * conform's SubmissionResult, so a page with several forms shows each reply next to its own form.
 */

export type MenuActionData = { intent: string; result: SubmissionResult<string[]> };

export function actorOf(user: StaffUser, context: AppLoadContext): StaffActor {
  return { userId: user.id, requestId: context.requestId, ip: context.clientIp };
}

export function reply(
  intent: string,
  result: SubmissionResult<string[]>,
  status = 200,
): TypedResponse<MenuActionData> {
  return json({ intent, result }, { status });
}

/** 400 with the parse errors of an invalid submission. */
export function invalid(intent: string, submission: { reply: () => SubmissionResult<string[]> }) {
  return reply(intent, submission.reply(), 400);
}

/**
 * Maps a failed mutation to a field error (400/409) or a 404; anything else is unexpected and is
 * rethrown for the error boundary.
 */
export function failure(
  intent: string,
  submission: {
    reply: (options: { fieldErrors: Record<string, string[]> }) => SubmissionResult<string[]>;
  },
  err: unknown,
): TypedResponse<MenuActionData> {
  if (err instanceof MenuNotFoundError) throw notFound();
  const fieldError = asMenuFieldError(err);
  if (!fieldError) throw err;
  return reply(
    intent,
    submission.reply({ fieldErrors: { [fieldError.field]: [fieldError.key] } }),
    fieldError.status,
  );
}

export function notFound(): Response {
  return new Response('Not Found', { status: 404, statusText: 'Not Found' });
}

export function badIntent(): Response {
  return new Response('Unknown intent', { status: 400, statusText: 'Bad Request' });
}

const POSITIVE_INT = /^[1-9][0-9]{0,9}$/;

/** A route param id, or a thrown 404 when missing or malformed. */
export function requireIdParam(param: string | undefined): number {
  if (param === undefined || !POSITIVE_INT.test(param)) throw notFound();
  const id = Number(param);
  if (id > 2_147_483_647) throw notFound();
  return id;
}

export const IMAGE_FILE_FIELD = 'image_file';

/**
 * The body of a form that may carry an image (multipart) or not (urlencoded). Parts are capped at
 * the upload limit while streaming, so an oversized file is refused before it is held in memory;
 * that answer is `'too-large'`, given before the CSRF check and with nothing written.
 */
export async function readFormWithImage(request: Request): Promise<FormData | 'too-large'> {
  const type = request.headers.get('Content-Type') ?? '';
  if (!type.startsWith('multipart/form-data')) return request.formData();
  try {
    return await unstable_parseMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({ maxPartSize: MAX_UPLOAD_BYTES }),
    );
  } catch (err) {
    if (err instanceof MaxPartSizeExceededError) return 'too-large';
    throw err;
  }
}

export function tooLarge(intent: string) {
  return reply(intent, { status: 'error', error: { image_url: ['menu.error.uploadSize'] } }, 400);
}

/** Removes the image part from the form; returns it when a file was actually chosen. */
export function takeImageFile(formData: FormData): File | null {
  const file = formData.get(IMAGE_FILE_FIELD);
  formData.delete(IMAGE_FILE_FIELD);
  return file instanceof File && file.size > 0 ? file : null;
}

/** Stores the image and returns its URL, or the field error for a wrong type or size. */
export async function storeImage(
  file: File,
): Promise<{ url: string } | { error: 'menu.error.uploadType' | 'menu.error.uploadSize' }> {
  try {
    return { url: await saveImageUpload(file) };
  } catch (err) {
    if (err instanceof UploadError) return { error: err.key };
    throw err;
  }
}
