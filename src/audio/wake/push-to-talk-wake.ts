import type { WakeDetection, WakeWordDetector } from "./wake-word-detector.js";

const SAMPLE_RATE = 16000;

/**
 * Push-to-talk instead of a spoken wake word: `trigger()` is called by whatever the user pressed
 * (`app.ts` wires it to the Home Assistant button and the MQTT topic; audio/ never talks MQTT itself),
 * and the next chunk of audio reports the detection, so the command that follows is timed from there.
 */
export class PushToTalkWake implements WakeWordDetector {
  readonly kind = "push-to-talk" as const;
  readonly words = ["push-to-talk"] as const;
  #samples = 0;
  #triggered = false;

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  /** Marks the button as pressed; presses before the next audio chunk count once. */
  trigger(): void {
    this.#triggered = true;
  }

  async process(pcm: Int16Array): Promise<WakeDetection[]> {
    const seconds = this.#samples / SAMPLE_RATE;
    this.#samples += pcm.length;
    if (!this.#triggered) return [];
    this.#triggered = false;
    return [{ word: "push-to-talk", seconds, score: 1 }];
  }

  reset(): void {
    this.#samples = 0;
    this.#triggered = false;
  }
}
