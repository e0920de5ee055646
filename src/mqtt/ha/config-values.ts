/**
 * Reading one option of an MQTT discovery config the way Home Assistant's schema coerces it: a
 * payload may be written as a string, number or boolean ("payload_on: 1", "payload_on: true"), a
 * number as a number or a numeric string; anything else falls back to the default.
 */

type Json = Record<string, unknown>;

/** `config[key]` as text (numbers and booleans as Home Assistant stringifies them), else `fallback`. */
export function configText(config: Json, key: string, fallback: string): string;
export function configText(config: Json, key: string, fallback?: undefined): string | undefined;
export function configText(config: Json, key: string, fallback?: string): string | undefined {
  const v = config[key];
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return fallback;
}

/** `config[key]` as a finite number (a numeric string too), else `fallback`. */
export function configNumber(config: Json, key: string, fallback: number): number {
  const v = config[key];
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : fallback;
}
