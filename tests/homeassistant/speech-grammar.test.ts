import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildTextPath, type TextPath } from "../../src/app.js";
import type { SttResult } from "../../src/audio/stt/speech-to-text.js";
import type { LoadedConfig } from "../../src/config/loader.js";
import { parseConfig } from "../../src/config/parse-config.js";
import { silentLogger } from "../../src/core/logger.js";
import { HomeAssistantConnection } from "../../src/homeassistant/connection.js";
import { HomeAssistantHome } from "../../src/homeassistant/home-sync.js";
import { buildSpeechPath } from "../../src/pipeline/speech-path.js";
import { HaStandin } from "../helpers/ha-standin.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { registryUntil } from "../helpers/observed-broker.js";
import { speak } from "../helpers/speech.js";
import { smallHome } from "./small-home.js";

/* A name given in Home Assistant while Hearth runs reaches the speech grammar, so it can be heard. */

let dir: string;
let ha: HaStandin;
let text: TextPath;
let connection: HomeAssistantConnection;
let home: HomeAssistantHome;
let loaded: LoadedConfig;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hearth-ha-speech-"));
  ha = await HaStandin.start({ home: smallHome() });
  const config = parseConfig(
    `site: { id: ha-speech }
homeassistant: { url: "${ha.url}", token: "${ha.token}" }
audio: { sink: "null" }
`,
    "ha speech test",
  );
  loaded = { config, path: join(dir, "hearth.yaml"), dir, created: false };
  text = await buildTextPath(loaded, { llm: false });
  const log = silentLogger();
  connection = new HomeAssistantConnection({
    url: ha.url,
    token: ha.token,
    startupTimeoutMs: 5000,
    logger: log,
    // Its start-up limit on a clock nothing moves: a machine slow to connect fails nothing.
    clock: new ManualClock(),
  });
  await connection.start();
  home = new HomeAssistantHome({
    connection,
    registry: text.registry,
    exposeAll: false,
    debounceMs: 20,
    logger: log,
  });
  home.start();
  await home.loaded;
});

afterAll(async () => {
  home?.stop();
  await connection?.stop();
  await text?.close();
  await ha?.stop();
  await rm(dir, { recursive: true, force: true });
});

const heard = (result: SttResult): string | undefined =>
  result.kind === "transcript" ? result.text : undefined;

describe("the speech grammar with Home Assistant", () => {
  test("hears an alias as soon as it is given in Home Assistant", async () => {
    const speech = await buildSpeechPath(loaded, {
      registry: text.registry,
      stages: { stt: true, tts: false, listening: false },
      grammarDebounceMs: 20,
    });
    try {
      const stt = speech.stt;
      if (!stt) throw new Error("no stt");
      // Names learned from Home Assistant are in the grammar from the start.
      expect(heard(await stt.transcribe(await speak("turn on the reading lamp")))).toMatch(
        /^turn on (the )?reading lamp$/,
      );
      const command = await speak("turn on the book light");
      expect(heard(await stt.transcribe(command)) ?? "").not.toContain("book light");
      const before = speech.grammar?.registryVersion ?? -1;
      ha.updateEntity("light.reading_lamp", { aliases: ["book light"] });
      // Once the alias is in the registry, the rebuild it starts is waited for, however long it takes.
      await registryUntil(
        text.registry,
        () => text.registry.entity("light.reading_lamp")?.aliases.includes("book light") ?? false,
      );
      await speech.grammarSettled();
      expect(speech.grammar?.registryVersion).toBeGreaterThan(before);
      expect(heard(await stt.transcribe(command))).toMatch(/^turn on (the )?book light$/);
    } finally {
      await speech.close();
    }
  });
});
