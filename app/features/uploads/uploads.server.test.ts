import { describe, expect, it } from 'vitest';
import { isUploadName, sniffImage } from './uploads.server';

describe('uploads', () => {
  it('recognises jpeg, png and webp by their leading bytes only', () => {
    expect(sniffImage(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpg');
    expect(sniffImage(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(
      'png',
    );
    expect(sniffImage(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 '))).toBe('webp');
    expect(sniffImage(new TextEncoder().encode('GIF89a'))).toBeNull();
    expect(
      sniffImage(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>')),
    ).toBeNull();
    expect(sniffImage(new Uint8Array())).toBeNull();
  });

  it('serves only names it could have generated', () => {
    expect(isUploadName('0123456789abcdef0123456789abcdef.png')).toBe(true);
    for (const bad of [
      '../x.png',
      '0123456789abcdef0123456789abcdef.png/../../etc/passwd',
      '0123456789ABCDEF0123456789abcdef.png',
      '0123456789abcdef0123456789abcdef.svg',
      'a.png',
      undefined,
    ])
      expect(isUploadName(bad), String(bad)).toBe(false);
  });
});
