/**
 * Where a range under way is split so that another GET takes its second half: at the middle of what is
 * left, rounded up to a multiple of `align` (whole writes on both sides), or nowhere when either half would
 * be smaller than `minPiece`. A GET costs Chromium tens of milliseconds before its body flows at full speed:
 * a smaller piece would end before the new connection pays off.
 */
export function splitPoint(
  from: number,
  end: number,
  { minPiece, align }: { minPiece: number; align: number },
): number | undefined {
  const at = Math.ceil((from + (end - from) / 2) / align) * align;
  if (at - from < minPiece || end - at < minPiece) return undefined;
  return at;
}
