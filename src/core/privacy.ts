/**
 * Hearth's promise that nothing leaves the house, as code rather than as a unit-file setting: the
 * switches that keep the libraries and programs Hearth loads from phoning home or writing to the
 * user's home directory. Set before the library loads; a library reads them once, at load.
 */

/**
 * Environment variables that switch library telemetry off.
 * - `ORT_DISABLE_TELEMETRY`: ONNX Runtime (1.30 and later, non-Windows) otherwise starts an uploader
 *   to mobile.events.data.microsoft.com about ten seconds after its first session and writes a
 *   device id and an event database under ~/.cache/Microsoft/DeveloperTools/.onnxruntime/
 *   (openWakeWord and Silero VAD run on it). https://github.com/microsoft/onnxruntime/blob/main/docs/Privacy.md
 * - `DO_NOT_TRACK`: the cross-tool convention (https://consoledonottrack.com), for any library that honours it.
 */
export const NO_TELEMETRY_ENV: Readonly<Record<string, string>> = {
  ORT_DISABLE_TELEMETRY: "1",
  DO_NOT_TRACK: "1",
};

/**
 * Sets {@link NO_TELEMETRY_ENV} in this process (Node passes process.env writes on to the C
 * environment, where native libraries read them) and so in every program it starts. Overrides a
 * value that would switch telemetry on. Idempotent; call it before importing a native library.
 */
export function disableLibraryTelemetry(env: NodeJS.ProcessEnv = process.env): void {
  for (const [key, value] of Object.entries(NO_TELEMETRY_ENV)) env[key] = value;
}

/**
 * The environment for a program that only writes files or prints (espeak-ng's phonemes or WAVs):
 * espeak-ng opens a PulseAudio connection even with -q, -w or --stdout (pcaudiolib), which creates
 * ~/.config/pulse and a runtime directory in /tmp, and may autospawn a sound server. A server
 * address that can never exist (a path under /dev/null) makes it fail at once with nothing
 * created. Programs that play sound (aplay) keep the real environment.
 */
export function fileOnlyAudioEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, ...NO_TELEMETRY_ENV, PULSE_SERVER: "unix:/dev/null/no-sound-server" };
}
