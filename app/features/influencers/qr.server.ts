import QRCode from 'qrcode';

/**
 * The code card's QR code as an inline SVG string. It encodes the bare code (e.g. "A1234"): the
 * till's scanner types it into the POS exactly as a cashier would. Level M survives a creased or
 * slightly smudged printout; margin 1 because the card draws its own white space.
 */
export function codeQrSvg(code: string): Promise<string> {
  return QRCode.toString(code, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
}
