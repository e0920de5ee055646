import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ActingUnderstanding, ENGLISH_VARIANTS, openYamlHome } from "../helpers/understanding.js";

/**
 * "Is the washer done yet": a machine's cycle asked of its running sensor or of the plug it runs
 * on, answered as a cycle ("still running", "has finished") rather than as the sensor's state.
 * With Hearth's own English alone and with Home Assistant's English pack beside it
 * (../shared/ha-intents, CC BY 4.0). A house of its own, through the real matcher.
 */
const HOME = `
areas:
  - { name: Utility }
  - { name: Kitchen }
  - { name: Garage }
devices:
  - { id: binary_sensor.washer_running, name: Washer, area: Utility, device_class: running, state: "on" }
  - { id: binary_sensor.dryer_running, name: Tumble Dryer, area: Utility, device_class: running, state: "off" }
  - { id: switch.dishwasher_plug, name: Dishwasher, area: Kitchen, state: "on" }
  - { id: binary_sensor.bread_maker_running, name: Bread Maker, area: Kitchen, device_class: running, state: unavailable }
`;

describe.each(ENGLISH_VARIANTS)("%s", (_, sentences) => {
  let home: ActingUnderstanding;

  beforeAll(async () => {
    home = await openYamlHome(HOME, await sentences());
  });

  afterAll(() => home?.close());

  /** What is answered to `text` asked in the garage, with the device it was asked of. */
  const ask = (text: string) => {
    const r = home.understand(text, { area: "Garage" });
    const u = r.understanding;
    expect(u.kind, text).toBe("recognized");
    return { targets: u.kind === "recognized" ? u.intents.flatMap((i) => i.targets) : [], reply: r.reply };
  };

  it.each<[string, string, string]>([
    ["is the washer finished", "binary_sensor.washer_running", "No, the washer is still running."],
    ["is the washer done yet", "binary_sensor.washer_running", "No, the washer is still running."],
    ["has the washer finished", "binary_sensor.washer_running", "No, the washer is still running."],
    ["is the washer still running", "binary_sensor.washer_running", "Yes, the washer is still running."],
    ["is the tumble dryer finished", "binary_sensor.dryer_running", "Yes, the tumble dryer has finished."],
    ["is the tumble dryer done", "binary_sensor.dryer_running", "Yes, the tumble dryer has finished."],
    [
      "is the tumble dryer still running",
      "binary_sensor.dryer_running",
      "No, the tumble dryer has finished.",
    ],
    ["is the dishwasher done yet", "switch.dishwasher_plug", "No, the dishwasher is still running."],
    ["is the dishwasher still going", "switch.dishwasher_plug", "Yes, the dishwasher is still running."],
  ])("answers %j as a cycle", (text, target, reply) => {
    expect(ask(text)).toEqual({ targets: [target], reply });
  });

  it("says the state of a machine whose sensor reports no cycle", () => {
    expect(ask("is the bread maker finished")).toEqual({
      targets: ["binary_sensor.bread_maker_running"],
      reply: "No, the bread maker is unavailable.",
    });
  });
});
