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
