import crypto from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { getEnv } from '~/utils/env.server';

/**
 * Product images uploaded by staff: stored under UPLOAD_DIR with a random name (the client's file
 * name is never used), type decided by the file's leading bytes (not the browser's claim), and
 * served back by `routes/uploads.$name.ts`.
 */

export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;

export const UPLOAD_TYPES = {
  jpg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
} as const;
export type UploadExtension = keyof typeof UPLOAD_TYPES;

/** The only names the serving route accepts: 32 hex characters and a known extension. */
const NAME = /^[a-f0-9]{32}\.(jpg|png|webp)$/;

export class UploadError extends Error {
  constructor(readonly key: 'menu.error.uploadType' | 'menu.error.uploadSize') {
    super(key);
    this.name = 'UploadError';
  }
}

/** jpeg FF D8 FF, png 89 50 4E 47 0D 0A 1A 0A, webp "RIFF" …. "WEBP". */
export function sniffImage(bytes: Uint8Array): UploadExtension | null {
  const at = (i: number, ...sig: number[]) => sig.every((b, k) => bytes[i + k] === b);
  if (bytes.length >= 3 && at(0, 0xff, 0xd8, 0xff)) return 'jpg';
  if (bytes.length >= 8 && at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (bytes.length >= 12 && at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50))
    return 'webp';
  return null;
}

function uploadDir(): string {
  return path.resolve(getEnv().UPLOAD_DIR);
}

/** Validates and stores an image; returns the public path `/uploads/<name>`. */
export async function saveImageUpload(file: Blob): Promise<string> {
  if (file.size > MAX_UPLOAD_BYTES) throw new UploadError('menu.error.uploadSize');
  const declared = file.type;
  if (declared && !Object.values(UPLOAD_TYPES).includes(declared as never))
    throw new UploadError('menu.error.uploadType');
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (bytes.length > MAX_UPLOAD_BYTES) throw new UploadError('menu.error.uploadSize');
  const ext = sniffImage(bytes);
  if (!ext) throw new UploadError('menu.error.uploadType');
  const name = `${crypto.randomBytes(16).toString('hex')}.${ext}`;
  await mkdir(uploadDir(), { recursive: true });
  await writeFile(path.join(uploadDir(), name), bytes, { flag: 'wx' });
  return `/uploads/${name}`;
}

export function isUploadName(name: unknown): name is string {
  return typeof name === 'string' && NAME.test(name);
}

/** The stored file for a served name, or null (bad name or no such file). */
export async function readImageUpload(
  name: unknown,
): Promise<{ body: Buffer; contentType: string } | null> {
  if (!isUploadName(name)) return null;
  const ext = name.slice(name.lastIndexOf('.') + 1) as UploadExtension;
  try {
    const body = await readFile(path.join(uploadDir(), name));
    return { body, contentType: UPLOAD_TYPES[ext] };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
