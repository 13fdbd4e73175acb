/**
 * CP-5: spreads a discount over lines in proportion to their line totals. Each line gets the floor
 * of its exact share; the kopecks left over go one by one to the largest remainders, ties to the
 * lower line_no. The shares sum to `amount` exactly and none exceeds its line total.
 */
export function spreadProportionally(
  amount: number,
  lines: readonly { lineNo: number; lineTotalKopecks: number }[],
): Map<number, number> {
  const base = lines.reduce((sum, l) => sum + l.lineTotalKopecks, 0);
  if (!Number.isSafeInteger(amount) || amount < 0 || amount > base) {
    throw new RangeError(`cannot spread ${amount} over lines totalling ${base}`);
  }
  const shares = new Map<number, number>(lines.map((l) => [l.lineNo, 0]));
  if (amount === 0) return shares;

  // BigInt: amount × line total can pass 2^53 for large orders, and the split must stay exact
  const bigAmount = BigInt(amount);
  const bigBase = BigInt(base);
  let given = 0;
  const remainders: { lineNo: number; remainder: bigint }[] = [];
  for (const line of lines) {
    const product = bigAmount * BigInt(line.lineTotalKopecks);
    const share = Number(product / bigBase);
    shares.set(line.lineNo, share);
    given += share;
    remainders.push({ lineNo: line.lineNo, remainder: product % bigBase });
  }
  remainders.sort((a, b) =>
    a.remainder === b.remainder ? a.lineNo - b.lineNo : a.remainder > b.remainder ? -1 : 1,
  );
  // fewer leftover kopecks than lines with a non-zero remainder, so one pass suffices
  for (let i = 0; given < amount; i++, given++) {
    const { lineNo } = remainders[i] as { lineNo: number };
    shares.set(lineNo, (shares.get(lineNo) ?? 0) + 1);
  }
  return shares;
}
