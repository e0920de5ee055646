import type { AudioConfig } from "../config/schema.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import { type CheckResult, result } from "./check.js";
import { programOutput } from "./program-output.js";

/** One ALSA card/device line of `arecord -l` / `aplay -l`. */
export interface SoundDevice {
  card: number;
  /** The card's short id (`hw:CARD=<id>`), e.g. "Device", "Headphones". */
  cardId: string;
  cardName: string;
  device: number;
  deviceName: string;
}

/**
 * Parses `arecord -l` / `aplay -l` output: lines such as
 * `card 1: Device [USB Audio Device], device 0: USB Audio [USB Audio]`.
 */
export function parseSoundDevices(text: string): SoundDevice[] {
  const devices: SoundDevice[] = [];
  for (const m of text.matchAll(/^card (\d+): (\S+) \[(.*?)\], device (\d+): (.*)$/gm)) {
    devices.push({
      card: Number(m[1]),
      cardId: m[2] ?? "",
      cardName: m[3] ?? "",
      device: Number(m[4]),
      deviceName: (m[5] ?? "").trim(),
    });
  }
  return devices;
}

/**
 * The card an ALSA device name points at: `hw:1,0`, `plughw:1`, `hw:CARD=Device,DEV=0`,
 * `plughw:Device`. Undefined for names that are not tied to one card (default, pulse, dmix, a
 * name from asoundrc), for which any card will do.
 */
export function cardOf(alsaDevice: string): { card: string; device?: number | undefined } | undefined {
  const m = /^(?:plug)?hw:(?:CARD=)?([^,]+)(?:,(?:DEV=)?(\d+))?/.exec(alsaDevice);
  if (!m?.[1]) return undefined;
  return { card: m[1], device: m[2] === undefined ? undefined : Number(m[2]) };
}

export interface AudioDeviceCheckOptions {
  logger?: Logger | undefined;
  /** The program listing devices. Default "arecord" (microphone) or "aplay" (speaker). */
  program?: string | undefined;
  /** Whose time the program's time limit runs on; default the system clock. */
  clock?: Clock | undefined;
}

type Direction = "microphone" | "speaker";

/**
 * Whether the microphone (`audio.source: mic`) or speaker (`audio.sink: speaker`) the config uses
 * exists: the ALSA card list from `arecord -l` / `aplay -l`, and the card `audio.mic_device` /
 * `audio.speaker_device` names, when it names one. Passes without looking when the config does not
 * use the device.
 */
export async function checkAudioDevice(
  direction: Direction,
  audio: AudioConfig,
  options: AudioDeviceCheckOptions = {},
): Promise<CheckResult> {
  const id = direction;
  const name = direction === "microphone" ? "Microphone" : "Speaker";
  const setting =
    direction === "microphone" ? `audio.source is ${audio.source}` : `audio.sink is ${audio.sink}`;
  const used = direction === "microphone" ? audio.source === "mic" : audio.sink === "speaker";
  if (!used) return result(id, name, true, `not needed (${setting})`);

  const program = options.program ?? (direction === "microphone" ? "arecord" : "aplay");
  const key = direction === "microphone" ? "audio.mic_device" : "audio.speaker_device";
  const alsaDevice = direction === "microphone" ? audio.mic_device : audio.speaker_device;
  const out = await programOutput(program, ["-l"], { logger: options.logger, clock: options.clock });
  if (!out.found) {
    return result(id, name, false, `${program} is not installed`, "sudo apt install alsa-utils");
  }
  const devices = parseSoundDevices(out.stdout);
  const kind = direction === "microphone" ? "capture" : "playback";
  if (devices.length === 0) {
    return result(
      id,
      name,
      false,
      `no sound ${kind} device found (\`${program} -l\` lists none)`,
      direction === "microphone"
        ? "plug in a (USB) microphone and check `arecord -l`; the user Hearth runs as must be in the audio group; or set audio.source to file:PATH or stdin"
        : "connect a speaker (USB, HAT or the headphone jack) and check `aplay -l`; the user Hearth runs as must be in the audio group; or set audio.sink to null or file:PATH",
    );
  }
  const list = devices.map((d) => `hw:${d.card},${d.device} ${d.cardName}`).join("; ");
  const wanted = cardOf(alsaDevice);
  if (wanted) {
    const match = devices.find(
      (d) =>
        (String(d.card) === wanted.card || d.cardId === wanted.card) &&
        (wanted.device === undefined || d.device === wanted.device),
    );
    if (!match) {
      return result(
        id,
        name,
        false,
        `${key} is ${alsaDevice}, which \`${program} -l\` does not list (found: ${list})`,
        `set ${key} to one of the devices found, e.g. plughw:${devices[0]?.card},${devices[0]?.device}`,
      );
    }
    return result(id, name, true, `${alsaDevice}: ${match.cardName}, ${match.deviceName}`);
  }
  return result(
    id,
    name,
    true,
    `${plural(devices.length, `${kind} device`)}: ${list} (${key} is ${alsaDevice})`,
  );
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
