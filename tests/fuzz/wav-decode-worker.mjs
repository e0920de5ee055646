/**
 * Decodes WAV files with Hearth's decoder (the built dist/audio/wav.js), one JSON line per file on
 * stdout: `{"start": file}` before each, then `{"file", "ok": true}` or `{"file", "code", "message"}`.
 * Run by tests/fuzz/wav-fuzz.test.ts in a child process with a small heap, so a file that makes the
 * decoder loop or exhaust memory ends this process (and names the file) instead of the test run.
 */
import { readFileSync, writeSync } from "node:fs";
import { decodeWav } from "../../dist/audio/wav.js";

// Synchronous writes: the line naming the file must be out before a fatal error ends the process.
const say = (line) => writeSync(1, `${JSON.stringify(line)}\n`);
for (const file of process.argv.slice(2)) {
  say({ start: file });
  try {
    const decoded = decodeWav(readFileSync(file), { name: file });
    const finite = decoded.channels.every((c) => c.length > 0 && c.every(Number.isFinite));
    say({ file, ok: true, finite });
  } catch (err) {
    say({ file, code: err?.code ?? null, name: err?.name, message: String(err?.message ?? err) });
  }
}
