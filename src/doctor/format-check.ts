import type { CheckResult } from "./check.js";

const MARKS = { pass: "✔", fail: "✘", warn: "⚠" } as const;

/** The mark shown for a result: ✔, ✘ or ⚠. */
export function mark(check: CheckResult): string {
  return check.ok === true ? MARKS.pass : check.ok === false ? MARKS.fail : MARKS.warn;
}

/**
 * One result as text for a terminal: the mark and name, the detail (each further line indented),
 * and the fix on its own line.
 */
export function formatCheck(check: CheckResult): string {
  const [first = "", ...rest] = check.detail.split("\n");
  const lines = [`${mark(check)} ${check.name}: ${first}`, ...rest.map((line) => `    ${line}`)];
  if (check.fix !== undefined) lines.push(`    fix: ${check.fix}`);
  return `${lines.join("\n")}\n`;
}

/** The closing line: how many checks failed and warned. */
export function formatSummary(checks: readonly CheckResult[]): string {
  const failed = checks.filter((c) => c.ok === false).length;
  const warned = checks.filter((c) => c.ok === "warn").length;
  if (failed === 0 && warned === 0) return `all ${checks.length} checks passed\n`;
  const parts = [];
  if (failed > 0) parts.push(`${failed} problem${failed === 1 ? "" : "s"} to fix`);
  if (warned > 0) parts.push(`${warned} warning${warned === 1 ? "" : "s"}`);
  return `${parts.join(", ")} (${checks.length} checks)\n`;
}
