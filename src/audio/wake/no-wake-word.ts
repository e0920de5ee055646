import type { WakeDetection, WakeWordDetector } from "./wake-word-detector.js";

/**
 * "No wake word": never fires. The pipeline sees `kind: "none"` and treats every utterance the VAD
 * segments as a command (a quiet room, a push-to-talk microphone, or a file that holds one command).
 */
export class NoWakeWord implements WakeWordDetector {
  readonly kind = "none" as const;
  readonly words = [] as const;

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  async process(_pcm: Int16Array): Promise<WakeDetection[]> {
    return [];
  }

  reset(): void {}
}
