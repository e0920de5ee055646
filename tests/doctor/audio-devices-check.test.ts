import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { audioSchema } from "../../src/config/schema.js";
import { cardOf, checkAudioDevice, parseSoundDevices } from "../../src/doctor/audio-devices-check.js";
import { fakeProgram } from "./fake-program.js";

const USB_MIC = `**** List of CAPTURE Hardware Devices ****
card 1: Device [USB PnP Sound Device], device 0: USB Audio [USB Audio]
  Subdevices: 1/1
  Subdevice #0: subdevice #0
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hearth-doctor-audio-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("sound device listing", () => {
  it("reads card and device numbers, ids and names from arecord -l", () => {
    expect(parseSoundDevices(USB_MIC)).toEqual([
      {
        card: 1,
        cardId: "Device",
        cardName: "USB PnP Sound Device",
        device: 0,
        deviceName: "USB Audio [USB Audio]",
      },
    ]);
    expect(parseSoundDevices("")).toEqual([]);
  });

  it("finds the card an ALSA device name points at", () => {
    expect(cardOf("plughw:1,0")).toEqual({ card: "1", device: 0 });
    expect(cardOf("hw:CARD=Device,DEV=0")).toEqual({ card: "Device", device: 0 });
    expect(cardOf("plughw:Device")).toEqual({ card: "Device", device: undefined });
    expect(cardOf("default")).toBeUndefined();
    expect(cardOf("dmix")).toBeUndefined();
  });
});

describe("the microphone and speaker checks", () => {
  it("pass without looking when the config uses neither", async () => {
    const audio = audioSchema.parse({ source: "file:in.wav", sink: "null" });
    const missing = join(dir, "no-such-program");
    expect(await checkAudioDevice("microphone", audio, { program: missing })).toMatchObject({
      ok: true,
      detail: "not needed (audio.source is file:in.wav)",
    });
    expect((await checkAudioDevice("speaker", audio, { program: missing })).detail).toMatch(/not needed/);
  });

  it("agree with the kernel's sound card list when run for real", async () => {
    // /proc/asound/cards is what arecord -l reads, through ALSA; an independent view of the same cards.
    const cards = await readFile("/proc/asound/cards", "utf8").catch(() => "");
    const hasCard = /^\s*\d+ \[/m.test(cards);
    const result = await checkAudioDevice("microphone", audioSchema.parse({}));
    if (hasCard) expect(result.detail).not.toMatch(/no sound capture device/);
    else {
      expect(result.ok).toBe(false);
      expect(result.detail).toMatch(/no sound capture device found/);
      expect(result.fix).toMatch(/audio group/);
    }
  });

  it("fail with the package to install when arecord is missing", async () => {
    const result = await checkAudioDevice("microphone", audioSchema.parse({}), {
      program: join(dir, "arecord"),
    });
    expect(result).toMatchObject({ ok: false, fix: "sudo apt install alsa-utils" });
  });

  it("pass when a card is present and the default device is used", async () => {
    const arecord = await fakeProgram(dir, "arecord-usb", { "-l": { stdout: USB_MIC } });
    const result = await checkAudioDevice("microphone", audioSchema.parse({}), { program: arecord });
    expect(result.ok).toBe(true);
    expect(result.detail).toMatch(/hw:1,0 USB PnP Sound Device/);
  });

  it("fail when the configured device names a card that is not there", async () => {
    const aplay = await fakeProgram(dir, "aplay-usb", { "-l": { stdout: USB_MIC } });
    const wrong = await checkAudioDevice("speaker", audioSchema.parse({ speaker_device: "plughw:2,0" }), {
      program: aplay,
    });
    expect(wrong.ok).toBe(false);
    expect(wrong.detail).toMatch(/audio\.speaker_device is plughw:2,0/);
    expect(wrong.fix).toMatch(/plughw:1,0/);
    const right = await checkAudioDevice("speaker", audioSchema.parse({ speaker_device: "hw:CARD=Device" }), {
      program: aplay,
    });
    expect(right.ok).toBe(true);
  });
});
