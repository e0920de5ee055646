import { type ChildProcess, spawn } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { type Clock, systemClock } from "./clock.js";
import { HearthError } from "./errors.js";
import type { Logger } from "./logger.js";

/**
 * The one place Hearth starts external programs (festival, flite, espeak-ng, piper, arecord, aplay,
 * sox): never through a shell (text to speak is an argument or stdin, never parsed), always with a
 * timeout, killed when the caller's AbortSignal fires (barge-in, shutdown), stderr logged at debug.
 */

/** Options shared by {@link runProgram} and {@link spawnProgram}. */
export interface ProgramOptions {
  /** Logger for stderr lines (debug) and start/exit (trace). */
  logger?: Logger | undefined;
  /** Aborting kills the program; the call then rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /**
   * Milliseconds before the program is killed and the call fails with DEADLINE_EXCEEDED. Default
   * 30 000; 0 = no limit.
   */
  timeoutMs?: number | undefined;
  /** Where the timeout's deadline comes from; default the system clock (tests move a manual one). */
  clock?: Clock | undefined;
  /** Milliseconds between SIGTERM and SIGKILL when a program must be stopped. Default 2000. */
  killGraceMs?: number | undefined;
  cwd?: string | undefined;
  env?: NodeJS.ProcessEnv | undefined;
}

/** Options of {@link runProgram}. */
export interface RunOptions extends ProgramOptions {
  /** Written to the program's stdin, which is then closed. Without it stdin is empty. */
  input?: string | Uint8Array | undefined;
  /** Most stdout bytes kept; more fails the call (a runaway program cannot fill memory). Default 256 MiB. */
  maxOutputBytes?: number | undefined;
}

/** What a finished program left behind. */
export interface RunResult {
  stdout: Buffer;
  /** The last 64 KiB of stderr, as text. */
  stderr: string;
  exitCode: number;
}

/** A program started by {@link spawnProgram}, with its streams open. */
export interface RunningProgram {
  readonly pid: number | undefined;
  readonly stdin: Writable;
  readonly stdout: Readable;
  /**
   * Settles when the program ends: resolves with its exit code (any code: streaming callers decide
   * what a code means) and the tail of stderr; rejects on start failure, timeout or abort.
   */
  readonly exited: Promise<{ exitCode: number; stderr: string }>;
  /** Stops the program (SIGTERM, then SIGKILL after the grace period); idempotent. */
  kill(): void;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_GRACE_MS = 2_000;
const DEFAULT_MAX_OUTPUT = 256 * 1024 * 1024;
const STDERR_TAIL = 64 * 1024;

/**
 * Starts `command` with `args` (no shell) and returns its streams; the caller reads stdout and
 * writes stdin. Used for long-running programs (arecord, aplay).
 */
export function spawnProgram(
  command: string,
  args: readonly string[],
  options: ProgramOptions = {},
): RunningProgram {
  const log = options.logger?.child({ program: command });
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const grace = options.killGraceMs ?? DEFAULT_GRACE_MS;
  const signal = options.signal;
  const clock = options.clock ?? systemClock;

  const child: ChildProcess = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    shell: false,
    stdio: ["pipe", "pipe", "pipe"],
    // A process group of its own would let us kill grandchildren; our programs do not fork, and a
    // detached child could outlive Hearth if it crashed, so stay attached.
  });
  log?.trace({ args, pid: child.pid }, "program started");

  let stderrTail = "";
  let partialLine = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (text: string) => {
    stderrTail = (stderrTail + text).slice(-STDERR_TAIL);
    const lines = (partialLine + text).split("\n");
    partialLine = lines.pop() ?? "";
    for (const line of lines) if (line.trim() !== "") log?.debug({ line }, "program stderr");
  });
  // A program that exits without reading its stdin makes writes fail with EPIPE; that is reported
  // through the exit status, not as an unhandled stream error.
  child.stdin?.on("error", () => {});

  let killed = false;
  const kill = (): void => {
    if (killed || child.exitCode !== null || child.signalCode !== null) return;
    killed = true;
    child.kill("SIGTERM");
    // On the clock, whose timeouts (like an unref'd timer) keep no exiting process alive.
    clock.timeout(grace, `${command}'s grace period after SIGTERM`).addEventListener(
      "abort",
      () => {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      },
      { once: true },
    );
  };

  const exited = new Promise<{ exitCode: number; stderr: string }>((resolve, reject) => {
    let failure: Error | undefined;
    const onAbort = (): void => {
      failure ??= signal?.reason instanceof Error ? signal.reason : abortError(signal?.reason);
      kill();
    };
    const deadline = timeoutMs > 0 ? clock.timeout(timeoutMs, command) : undefined;
    const onDeadline = (): void => {
      failure ??= new HearthError("DEADLINE_EXCEEDED", `${command} did not finish within ${timeoutMs} ms`);
      kill();
    };
    deadline?.addEventListener("abort", onDeadline, { once: true });
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });

    const cleanup = (): void => {
      deadline?.removeEventListener("abort", onDeadline);
      signal?.removeEventListener("abort", onAbort);
    };
    child.once("error", (err: NodeJS.ErrnoException) => {
      cleanup();
      if (err.code === "ENOENT") {
        reject(
          new HearthError("PROCESS_FAILED", `program not found: ${command} (is it installed?)`, {
            cause: err,
          }),
        );
      } else {
        reject(
          new HearthError("PROCESS_FAILED", `${command} could not be started: ${err.message}`, {
            cause: err,
          }),
        );
      }
    });
    child.once("close", (code, killSignal) => {
      cleanup();
      if (partialLine.trim() !== "") log?.debug({ line: partialLine }, "program stderr");
      log?.trace({ code, signal: killSignal }, "program exited");
      if (failure) reject(failure);
      else resolve({ exitCode: code ?? 128, stderr: stderrTail });
    });
  });

  // `exited` rejects on start failure even when the caller only reads stdout; the caller's own
  // await reports it.
  exited.catch(() => {});
  return {
    pid: child.pid,
    stdin: child.stdin as Writable,
    stdout: child.stdout as Readable,
    exited,
    kill,
  };
}

/**
 * Runs `command` with `args` (no shell) to completion and returns its output. A non-zero exit is a
 * HearthError("PROCESS_FAILED") carrying the end of stderr; so are a missing program and a timeout.
 * Aborting rejects with the signal's reason (an AbortError unless the caller gave another).
 */
export async function runProgram(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  if (options.signal?.aborted)
    throw options.signal.reason instanceof Error ? options.signal.reason : abortError();
  const max = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  const program = spawnProgram(command, args, options);
  const chunks: Buffer[] = [];
  let size = 0;
  let overflow = false;
  program.stdout.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > max) {
      overflow = true;
      program.kill();
      return;
    }
    chunks.push(chunk);
  });
  program.stdin.end(options.input ?? undefined);
  const { exitCode, stderr } = await program.exited;
  if (overflow) throw new HearthError("PROCESS_FAILED", `${command} wrote more than ${max} bytes`);
  if (exitCode !== 0) {
    const reason = lastLines(stderr, 3);
    throw new HearthError(
      "PROCESS_FAILED",
      `${command} exited with code ${exitCode}${reason ? `: ${reason}` : ""}`,
      {
        details: stderr === "" ? [] : [stderr.slice(-2000)],
      },
    );
  }
  return { stdout: Buffer.concat(chunks), stderr, exitCode };
}

/** The last `n` non-empty lines of `text`, joined by " / ", for an error message. */
export function lastLines(text: string, n: number): string {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .slice(-n)
    .join(" / ");
}

function abortError(reason?: unknown): Error {
  const error = new Error(typeof reason === "string" ? reason : "the operation was aborted");
  error.name = "AbortError";
  return error;
}
