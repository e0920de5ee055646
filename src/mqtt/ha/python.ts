/**
 * Python number semantics that Home Assistant's payloads depend on: `round()` rounds half to even,
 * and a float prints with a trailing `.0`. Matching them keeps Hearth's payloads byte-identical to
 * what Home Assistant would publish for the same command.
 */

/** Python's round(x, n): half to even on ties that are exact in binary, otherwise nearest. */
export function pyRound(x: number, precision = 0): number {
  if (!Number.isFinite(x)) return x;
  const factor = 10 ** precision;
  const scaled = x * factor;
  const floor = Math.floor(scaled);
  if (scaled - floor === 0.5 && scaled / factor === x) return (floor % 2 === 0 ? floor : floor + 1) / factor;
  return Number(x.toFixed(precision));
}

/** str(float(n)) in Python: `21.0`, `21.5`, `inf`, `nan`. */
export function pyFloatText(n: number): string {
  if (Number.isNaN(n)) return "nan";
  if (!Number.isFinite(n)) return n > 0 ? "inf" : "-inf";
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return `${n}.0`;
  return String(n);
}
