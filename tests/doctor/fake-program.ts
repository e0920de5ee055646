import { chmod, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * Writes an executable shell script standing in for a system program that cannot run for real on
 * a test machine (systemctl without systemd as init, arecord without a sound card). `cases` maps
 * the arguments joined by spaces to what the program prints and its exit status.
 */
export async function fakeProgram(
  dir: string,
  name: string,
  cases: Record<string, { stdout?: string; stderr?: string; code?: number }>,
): Promise<string> {
  const path = join(dir, name);
  const quote = (s: string): string => `'${s.replaceAll("'", "'\\''")}'`;
  const lines = ["#!/bin/sh", 'case "$*" in'];
  for (const [args, out] of Object.entries(cases)) {
    lines.push(`  ${quote(args)})`);
    if (out.stdout !== undefined) lines.push(`    printf '%s' ${quote(out.stdout)}`);
    if (out.stderr !== undefined) lines.push(`    printf '%s' ${quote(out.stderr)} >&2`);
    lines.push(`    exit ${out.code ?? 0};;`);
  }
  lines.push('  *) echo "unexpected arguments: $*" >&2; exit 99;;', "esac", "");
  await writeFile(path, lines.join("\n"));
  await chmod(path, 0o755);
  return path;
}
