import { PassThrough } from 'node:stream';
import { createElement } from 'react';
import { renderToPipeableStream } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import {
  REACT_VIEW_SIZE,
  createViewPaddingStripper,
  stripViewPadding,
} from './strip-view-padding.server';

async function render(text: string, strip: boolean): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await new Promise<void>((resolve, reject) => {
    const { pipe } = renderToPipeableStream(
      createElement(
        'div',
        null,
        ...text.split('|').map((t, i) => createElement('p', { key: i }, t)),
      ),
      {
        onAllReady() {
          const target = strip ? createViewPaddingStripper() : out;
          if (strip) target.pipe(out);
          pipe(target);
        },
        onError: reject,
      },
    );
    out.on('end', () => resolve());
  });
  return Buffer.concat(chunks);
}

describe('stripViewPadding', () => {
  it('drops trailing NULs of a full view only', () => {
    const full = new Uint8Array(REACT_VIEW_SIZE).fill(65);
    full[REACT_VIEW_SIZE - 1] = 0;
    full[REACT_VIEW_SIZE - 2] = 0;
    expect(stripViewPadding(full).byteLength).toBe(REACT_VIEW_SIZE - 2);
    const short = new Uint8Array([65, 0]);
    expect(stripViewPadding(short)).toBe(short);
  });

  it('removes the NULs React leaves between multi-byte characters at a view boundary', async () => {
    // sizes around the view boundary, so some character straddles it
    let defects = 0;
    for (const pad of [0, 1, 2]) {
      const text =
        'x'.repeat(pad) + Array.from({ length: 400 }, (_, i) => `珍珠奶茶 ${i}`).join('|');
      const raw = await render(text, false);
      const fixed = await render(text, true);
      expect(fixed.includes(0)).toBe(false);
      expect(fixed.toString('utf8')).toContain('珍珠奶茶 399');
      // the unfixed stream shows the defect the stripper exists for (or happens to dodge it)
      expect(Buffer.from(raw.filter((b) => b !== 0)).equals(fixed)).toBe(true);
      if (raw.includes(0)) defects++;
    }
    // React 18.3 does pad: if this starts failing, React fixed it and the stripper can go
    expect(defects).toBeGreaterThan(0);
  });
});
