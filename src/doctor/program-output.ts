import type { Clock } from "../core/clock.js";
import { HearthError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import { spawnProgram } from "../core/process.js";

/** What a finished program printed, whatever its exit status. */
export interface ProgramOutput {
  /** False when the program is not installed (ENOENT); the other fields are then empty. */
  found: boolean;
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a program (no shell, with a timeout on `clock`, through core/process) and returns its output even when
 * it exits non-zero: `dpkg-query` exits 1 when one package of many is unknown, and `systemctl
 * is-active` exits 3 for a stopped unit, yet both print exactly what the doctor needs.
 */
export async function programOutput(
  command: string,
  args: readonly string[],
  options: { logger?: Logger | undefined; timeoutMs?: number; clock?: Clock | undefined } = {},
): Promise<ProgramOutput> {
  const program = spawnProgram(command, args, {
    logger: options.logger,
    timeoutMs: options.timeoutMs ?? 10_000,
    clock: options.clock,
  });
  const chunks: Buffer[] = [];
  program.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
  program.stdin.end();
  try {
    const { exitCode, stderr } = await program.exited;
    return { found: true, exitCode, stdout: Buffer.concat(chunks).toString("utf8"), stderr };
  } catch (err) {
    const cause = err instanceof HearthError ? (err.cause as NodeJS.ErrnoException | undefined) : undefined;
    if (cause?.code === "ENOENT") return { found: false, exitCode: 127, stdout: "", stderr: "" };
    throw err;
  }
}
