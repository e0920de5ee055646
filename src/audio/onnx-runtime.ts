import { disableLibraryTelemetry } from "../core/privacy.js";

/** The onnxruntime-node module, as the wake-word and VAD engines use it. */
export type OnnxRuntime = typeof import("onnxruntime-node");

/**
 * Imports ONNX Runtime (openWakeWord, Silero VAD) with its telemetry switched off first: the native
 * library reads `ORT_DISABLE_TELEMETRY` when it loads, and otherwise uploads usage events to
 * Microsoft and writes under ~/.cache (see core/privacy.ts). Every import of the runtime goes
 * through here; the engines call it in start(), so configurations without them never load it.
 */
export async function importOnnxRuntime(): Promise<OnnxRuntime> {
  disableLibraryTelemetry();
  return await import("onnxruntime-node");
}

/**
 * Session options for the small models Hearth runs on every 80 ms of audio: no memory arena and no
 * memory pattern. The arena keeps the largest blocks a run ever asked for, and the pattern a
 * planned copy of every run's buffers; for models of a few hundred kilobytes on one thread they
 * cost more resident memory than they save time (`npm run bench -- memory`).
 */
export const LEAN_SESSION = { enableCpuMemArena: false, enableMemPattern: false } as const;
