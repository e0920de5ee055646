/**
 * What one `hearth doctor` check found. `ok` is true (✔), false (✘: something the config needs is
 * missing or broken; the doctor exits 1) or "warn" (⚠: optional, or cannot be judged here).
 */
export interface CheckResult {
  /** Stable identifier for scripts reading `--json`, e.g. "broker", "wake-word". */
  id: string;
  /** What was checked, for people, e.g. "MQTT broker". */
  name: string;
  ok: true | false | "warn";
  /** What was found, in one or a few lines. */
  detail: string;
  /** What to do about it, in words; absent when there is nothing to do. */
  fix?: string | undefined;
}

/** Builds a result; `fix` is left out when undefined so `--json` shows no empty keys. */
export function result(
  id: string,
  name: string,
  ok: CheckResult["ok"],
  detail: string,
  fix?: string,
): CheckResult {
  return fix === undefined ? { id, name, ok, detail } : { id, name, ok, detail, fix };
}

/** The message of an error and its details, with its cause's message when that adds something. */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // "not found" messages already say what ENOENT would; other causes (a TLS or socket error, EACCES) add to it.
  const cause =
    err.cause instanceof Error && (err.cause as NodeJS.ErrnoException).code !== "ENOENT"
      ? err.cause.message
      : undefined;
  const details = "details" in err && Array.isArray(err.details) ? (err.details as string[]) : [];
  const lines = [cause && !err.message.includes(cause) ? `${err.message} (${cause})` : err.message];
  for (const d of details) lines.push(d);
  return lines.join("\n");
}
