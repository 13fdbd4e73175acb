import { Transform, type TransformCallback } from 'node:stream';

/**
 * React 18.3's streaming renderer writes its 2048-byte view buffer whole when a multi-byte UTF-8
 * character does not fit at its end (`writeStringChunk`: `if (read < stringChunk.length)
 * writeToDestination(destination, currentView)`), so up to three NUL bytes of unused buffer reach
 * the page — visible with Russian and Chinese text. HTML never carries a literal NUL (React escapes
 * none, the parser would replace it), so dropping trailing NULs of such full-view chunks restores
 * the exact document.
 */
export const REACT_VIEW_SIZE = 2048;

export function stripViewPadding(chunk: Uint8Array): Uint8Array {
  if (chunk.byteLength !== REACT_VIEW_SIZE || chunk[chunk.byteLength - 1] !== 0) return chunk;
  let end = chunk.byteLength;
  while (end > 0 && chunk[end - 1] === 0) end--;
  return chunk.subarray(0, end);
}

export function createViewPaddingStripper(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      callback(null, stripViewPadding(chunk));
    },
  });
}
