import { withArticle } from "../../intents/reply-names.js";
import type { RecognizedIntent, SlotValue } from "../../intents/types.js";
import type { Entity } from "../../registry/types.js";
import { isValidPublishTopic } from "../topics.js";
import { colorByName, kelvinToMireds, type NamedColor, type Rgb, rgbToHs, rgbToXy } from "./colors.js";
import { configNumber as num, configText as text } from "./config-values.js";
import { pyFloatText, pyRound } from "./python.js";
import { compileTemplate, PyFloat, renderTemplate } from "./value-template.js";

/**
 * Turns a recognised intent into the exact MQTT messages the target device expects, following each
 * Home Assistant MQTT platform's schema and defaults (payload_on "ON", payload_lock "LOCK",
 * brightness_scale 255, on_command_type "last" …), so a device integrated for Home Assistant obeys
 * Hearth the same way. Pure: no I/O, never throws.
 * https://www.home-assistant.io/integrations/mqtt/ (one page per platform)
 */

/** One message to publish. Commands are QoS 1 and never retained. */
export interface MqttCommand {
  topic: string;
  payload: string;
  qos: 1;
  retain: false;
}

/** Why an intent cannot be carried out on this entity, as a sentence the user can hear. */
export interface CommandError {
  error: string;
}

type Json = Record<string, unknown>;

/** Internal: stops building and becomes the CommandError result. */
class Refusal {
  constructor(readonly message: string) {}
}

interface Ctx {
  entity: Entity;
  config: Json;
  slots: RecognizedIntent["slots"];
  name: string;
  /** The name with its article for messages: "the Kitchen Light", "Rocky" (see withArticle). */
  the: string;
  The: string;
}

/**
 * Builds the messages that carry out `intent` on `entity` (one of the intent's targets), or says
 * why it cannot be done. HassTurnOn/HassTurnOff mean open/close on covers and valves and
 * lock/unlock on locks; HassToggle uses the entity's current state.
 */
export function buildCommands(intent: RecognizedIntent, entity: Entity): MqttCommand[] | CommandError {
  const config = entity.mqtt;
  const the = withArticle(entity.name, entity.domain);
  const The = withArticle(entity.name, entity.domain, true);
  if (!config) return { error: `${The} is not connected over MQTT.` };
  const ctx: Ctx = { entity, config, slots: intent.slots, name: entity.name, the, The };
  try {
    const commands = dispatch(intent.name, ctx);
    if (commands.length === 0) return { error: `There is nothing to send to ${the}.` };
    return commands;
  } catch (e) {
    if (e instanceof Refusal) return { error: e.message };
    return { error: `I couldn't work out the command for ${the}.` };
  }
}

function dispatch(intent: string, ctx: Ctx): MqttCommand[] {
  switch (ctx.entity.domain) {
    case "light":
      return light(intent, ctx);
    case "switch":
    case "input_boolean":
    case "humidifier":
      return onOff(intent, ctx);
    case "fan":
      return fan(intent, ctx);
    case "cover":
      return cover(intent, ctx);
    case "valve":
      return valve(intent, ctx);
    case "lock":
      return lock(intent, ctx);
    case "climate":
    case "water_heater":
      return climate(intent, ctx);
    case "scene":
      if (intent !== "HassTurnOn") throw new Refusal(`${ctx.The} scene can only be activated.`);
      return [command(ctx, "command_topic", text(ctx.config, "payload_on", "ON"))];
    case "button":
      if (intent !== "HassTurnOn" && intent !== "HassPress")
        throw new Refusal(`${ctx.The} can only be pressed.`);
      return [
        command(
          ctx,
          "command_topic",
          templated(ctx, "command_template", text(ctx.config, "payload_press", "PRESS")),
        ),
      ];
    case "vacuum":
      return vacuum(intent, ctx);
    case "lawn_mower":
      return lawnMower(intent, ctx);
    case "number":
      return numberEntity(intent, ctx);
    case "select":
      return selectEntity(intent, ctx);
    case "media_player":
      throw new Refusal(`${ctx.The} can't be controlled over MQTT.`);
    default:
      throw new Refusal(`${ctx.The} can only be asked about, not controlled.`);
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** A payload key that is absent uses the default; an explicit null disables the action (Home Assistant's convention). */
function payloadOrDisabled(ctx: Ctx, key: string, fallback: string, what: string): string {
  if (ctx.config[key] === null) throw new Refusal(`${ctx.The} can't ${what}.`);
  return text(ctx.config, key, fallback);
}

/** A message to the topic stored under `topicKey`; refuses when the topic is missing or not publishable. */
function command(ctx: Ctx, topicKey: string, payload: string, what = "do that"): MqttCommand {
  const topic = ctx.config[topicKey];
  if (topic === undefined || topic === null) throw new Refusal(`${ctx.The} can't ${what}.`);
  if (!isValidPublishTopic(topic)) throw new Refusal(`${ctx.The} has an invalid ${topicKey}.`);
  return { topic, payload, qos: 1, retain: false };
}

function has(ctx: Ctx, key: string): boolean {
  return typeof ctx.config[key] === "string" && ctx.config[key] !== "";
}

function raw(value: unknown): string {
  if (value instanceof PyFloat) return pyFloatText(value.n);
  return typeof value === "string" ? value : String(value);
}

/** Renders the command template under `templateKey` (or the value as is), as MqttCommandTemplate does. */
function templated(ctx: Ctx, templateKey: string, value: unknown, variables: Json = {}): string {
  const template = ctx.config[templateKey];
  if (typeof template !== "string" || template === "") return raw(value);
  const compiled = compileTemplate(template);
  if ("unsupported" in compiled) {
    throw new Refusal(`${ctx.The} needs a command template Hearth can't run (${templateKey}).`);
  }
  const rendered = renderTemplate(compiled, {
    ...variables,
    value,
    entity_id: ctx.entity.id,
    name: ctx.name,
  });
  if (rendered.value === undefined) throw new Refusal(`${ctx.The}'s ${templateKey} gave no payload.`);
  return rendered.value;
}

function numberSlot(ctx: Ctx, ...names: string[]): number | undefined {
  for (const name of names) {
    const v: SlotValue | undefined = ctx.slots[name];
    if (v === undefined) continue;
    const n = typeof v === "number" ? v : Number(String(v).replace(/%$/, "").trim());
    if (!Number.isFinite(n)) throw new Refusal(`I didn't understand the ${name} "${v}".`);
    return n;
  }
  return undefined;
}

function textSlot(ctx: Ctx, ...names: string[]): string | undefined {
  for (const name of names) {
    const v = ctx.slots[name];
    if (v !== undefined && String(v).trim() !== "") return String(v).trim();
  }
  return undefined;
}

function percentSlot(ctx: Ctx, ...names: string[]): number | undefined {
  const n = numberSlot(ctx, ...names);
  if (n === undefined) return undefined;
  if (n < 0 || n > 100) throw new Refusal(`${n} is not between 0 and 100 percent.`);
  return n;
}

/** on / off / toggle as a boolean: true = turn on. */
function onOffIntent(intent: string, ctx: Ctx, onState = "on"): boolean {
  if (intent === "HassTurnOn") return true;
  if (intent === "HassTurnOff") return false;
  if (intent === "HassToggle") return ctx.entity.state !== onState;
  throw new Refusal(`${ctx.The} can only be turned on or off.`);
}

/** Home Assistant's brightness from a 0–100 percentage: round(pct × 255 / 100). */
function brightness255(pct: number): number {
  return pyRound((pct * 255) / 100);
}

/** Home Assistant's device brightness: brightness_to_value((1, scale), b), rounded, at least 1. */
function deviceBrightness(b255: number, scale: number): number {
  return Math.min(scale, Math.max(1, pyRound((b255 * scale) / 255)));
}

function scaleRgb(rgb: Rgb, b255: number): Rgb {
  return [
    Math.trunc((rgb[0] * b255) / 255),
    Math.trunc((rgb[1] * b255) / 255),
    Math.trunc((rgb[2] * b255) / 255),
  ];
}

function rgbAttribute(value: unknown): Rgb | undefined {
  if (!Array.isArray(value)) return undefined;
  const [r, g, b] = value;
  return typeof r === "number" && typeof g === "number" && typeof b === "number" ? [r, g, b] : undefined;
}

function colorSlot(ctx: Ctx): NamedColor | undefined {
  const name = textSlot(ctx, "color", "colour");
  if (name === undefined) return undefined;
  const color = colorByName(name);
  if (!color) throw new Refusal(`I don't know the colour ${name}.`);
  return color;
}

// ---------------------------------------------------------------------------------------------
// Lights

interface LightRequest {
  on: boolean;
  /** 0–255 */
  brightness?: number | undefined;
  color?: NamedColor | undefined;
  /** Colour temperature in kelvin (explicit, or from a white colour name). */
  kelvin?: number | undefined;
}

function lightRequest(intent: string, ctx: Ctx): LightRequest {
  if (intent === "HassLightSet") {
    const pct = percentSlot(ctx, "brightness");
    const color = colorSlot(ctx);
    const kelvin = numberSlot(ctx, "temperature", "color_temp_kelvin");
    if (pct === undefined && !color && kelvin === undefined)
      throw new Refusal(`What should I set ${ctx.the} to?`);
    if (pct === 0) return { on: false };
    return { on: true, brightness: pct === undefined ? undefined : brightness255(pct), color, kelvin };
  }
  return { on: onOffIntent(intent, ctx) };
}

function light(intent: string, ctx: Ctx): MqttCommand[] {
  const request = lightRequest(intent, ctx);
  const schema = text(ctx.config, "schema", "basic");
  if (schema === "json") return jsonLight(request, ctx);
  if (schema === "template") return templateLight(request, ctx);
  return basicLight(request, ctx);
}

function colorTempCommand(ctx: Ctx, kelvin: number): MqttCommand {
  const value = ctx.config.color_temp_kelvin === true ? kelvin : kelvinToMireds(kelvin);
  return command(
    ctx,
    "color_temp_command_topic",
    templated(ctx, "color_temp_command_template", value),
    "change colour temperature",
  );
}

function basicLight(request: LightRequest, ctx: Ctx): MqttCommand[] {
  const on = templated(ctx, "command_template", text(ctx.config, "payload_on", "ON"));
  if (!request.on) {
    return [
      command(
        ctx,
        "command_topic",
        templated(ctx, "command_template", text(ctx.config, "payload_off", "OFF")),
      ),
    ];
  }
  const onType = text(ctx.config, "on_command_type", "last");
  const commands: MqttCommand[] = [];
  if (onType === "first") commands.push(command(ctx, "command_topic", on));

  let b255 = request.brightness;
  const knownBrightness =
    typeof ctx.entity.attributes.brightness === "number" ? ctx.entity.attributes.brightness : undefined;
  // With on_command_type "brightness" the brightness message is what turns the light on.
  if (onType === "brightness" && b255 === undefined) b255 = knownBrightness || 255;

  const wantsTemperature =
    request.kelvin !== undefined ||
    (request.color?.kelvin !== undefined && has(ctx, "color_temp_command_topic"));
  let sentRgb = false;
  if (request.color && !wantsTemperature) {
    const rgb = request.color.rgb;
    if (has(ctx, "rgb_command_topic")) {
      // Without a brightness topic the brightness travels inside the RGB value (scale_rgbx).
      const level = has(ctx, "brightness_command_topic") ? 255 : (b255 ?? knownBrightness ?? 255);
      const scaled = scaleRgb(rgb, level);
      const payload = templated(ctx, "rgb_command_template", scaled.join(","), {
        red: scaled[0],
        green: scaled[1],
        blue: scaled[2],
      });
      commands.push(command(ctx, "rgb_command_topic", payload));
      sentRgb = true;
    } else if (has(ctx, "hs_command_topic")) {
      const [h, s] = rgbToHs(rgb);
      const payload = templated(ctx, "hs_command_template", `${pyFloatText(h)},${pyFloatText(s)}`, {
        hue: h,
        sat: s,
      });
      commands.push(command(ctx, "hs_command_topic", payload));
    } else if (has(ctx, "xy_command_topic")) {
      const [x, y] = rgbToXy(rgb);
      const payload = templated(ctx, "xy_command_template", `${pyFloatText(x)},${pyFloatText(y)}`, { x, y });
      commands.push(command(ctx, "xy_command_topic", payload));
    } else {
      throw new Refusal(`${ctx.The} can't change colour.`);
    }
  }

  if (b255 !== undefined) {
    if (has(ctx, "brightness_command_topic")) {
      const value = deviceBrightness(b255, num(ctx.config, "brightness_scale", 255));
      commands.push(
        command(ctx, "brightness_command_topic", templated(ctx, "brightness_command_template", value)),
      );
    } else if (has(ctx, "rgb_command_topic")) {
      if (!sentRgb) {
        const base = rgbAttribute(ctx.entity.attributes.rgb_color) ?? [255, 255, 255];
        const scaled = scaleRgb(base, b255);
        const payload = templated(ctx, "rgb_command_template", scaled.join(","), {
          red: scaled[0],
          green: scaled[1],
          blue: scaled[2],
        });
        commands.push(command(ctx, "rgb_command_topic", payload));
      }
    } else if (request.brightness !== undefined) {
      throw new Refusal(`${ctx.The} can't be dimmed.`);
    }
  }

  if (wantsTemperature) {
    const kelvin = request.kelvin ?? request.color?.kelvin;
    if (kelvin === undefined || kelvin <= 0) throw new Refusal(`That is not a colour temperature.`);
    commands.push(colorTempCommand(ctx, kelvin));
  }

  if (onType === "last") commands.push(command(ctx, "command_topic", on));
  return commands;
}

function colorModes(ctx: Ctx): string[] {
  const modes = ctx.config.supported_color_modes;
  return Array.isArray(modes) ? modes.filter((m): m is string => typeof m === "string") : [];
}

function jsonLight(request: LightRequest, ctx: Ctx): MqttCommand[] {
  if (!request.on) return [command(ctx, "command_topic", JSON.stringify({ state: "OFF" }))];
  const modes = colorModes(ctx);
  const supportsBrightness = ctx.config.brightness === true || modes.some((m) => m !== "onoff");
  const message: Json = { state: "ON" };
  const wantsTemperature =
    request.kelvin !== undefined || (request.color?.kelvin !== undefined && modes.includes("color_temp"));

  if (request.color && !wantsTemperature) {
    const rgb = request.color.rgb;
    if (modes.some((m) => m === "rgb" || m === "rgbw" || m === "rgbww") || ctx.config.rgb === true) {
      const level = supportsBrightness ? 255 : (request.brightness ?? 255);
      const [r, g, b] = scaleRgb(rgb, level);
      message.color = { r, g, b };
    } else if (modes.includes("xy") || ctx.config.xy === true) {
      const [x, y] = rgbToXy(rgb);
      message.color = { x, y };
    } else if (modes.includes("hs") || ctx.config.hs === true) {
      const [h, s] = rgbToHs(rgb);
      message.color = { h, s };
    } else {
      throw new Refusal(`${ctx.The} can't change colour.`);
    }
  }
  if (request.brightness !== undefined) {
    if (!supportsBrightness) throw new Refusal(`${ctx.The} can't be dimmed.`);
    message.brightness = deviceBrightness(request.brightness, num(ctx.config, "brightness_scale", 255));
  }
  if (wantsTemperature) {
    const kelvin = request.kelvin ?? request.color?.kelvin;
    if (kelvin === undefined || kelvin <= 0) throw new Refusal(`That is not a colour temperature.`);
    if (!modes.includes("color_temp") && ctx.config.color_temp !== true) {
      throw new Refusal(`${ctx.The} can't change colour temperature.`);
    }
    message.color_temp = ctx.config.color_temp_kelvin === true ? kelvin : kelvinToMireds(kelvin);
  }
  return [command(ctx, "command_topic", JSON.stringify(message))];
}

function templateLight(request: LightRequest, ctx: Ctx): MqttCommand[] {
  if (!request.on)
    return [command(ctx, "command_topic", templated(ctx, "command_off_template", "", { state: "off" }))];
  const variables: Json = { state: "on" };
  if (request.brightness !== undefined) variables.brightness = request.brightness;
  if (request.color) {
    const [red, green, blue] = request.color.rgb;
    Object.assign(variables, { red, green, blue });
    const [h, s] = rgbToHs(request.color.rgb);
    Object.assign(variables, { hue: h, sat: s });
  }
  const kelvin = request.kelvin ?? request.color?.kelvin;
  if (kelvin !== undefined && request.kelvin !== undefined) variables.color_temp = kelvinToMireds(kelvin);
  if (typeof ctx.config.command_on_template !== "string") throw new Refusal(`${ctx.The} has no on template.`);
  return [command(ctx, "command_topic", templated(ctx, "command_on_template", "", variables))];
}

// ---------------------------------------------------------------------------------------------
// Switches, fans

function onOff(intent: string, ctx: Ctx): MqttCommand[] {
  const on = onOffIntent(intent, ctx);
  const payload = text(ctx.config, on ? "payload_on" : "payload_off", on ? "ON" : "OFF");
  return [
    command(ctx, "command_topic", templated(ctx, "command_template", payload), on ? "turn on" : "turn off"),
  ];
}

function fan(intent: string, ctx: Ctx): MqttCommand[] {
  if (intent !== "HassFanSetSpeed") return onOff(intent, ctx);
  const commands: MqttCommand[] = [];
  const preset = textSlot(ctx, "preset_mode", "preset");
  if (preset !== undefined) {
    const modes = Array.isArray(ctx.config.preset_modes) ? ctx.config.preset_modes.map(String) : [];
    const match = modes.find((m) => m.toLowerCase() === preset.toLowerCase());
    if (!match) throw new Refusal(`${ctx.The} has no ${preset} mode.`);
    commands.push(
      command(ctx, "preset_mode_command_topic", templated(ctx, "preset_mode_command_template", match)),
    );
  }
  const pct = percentSlot(ctx, "percentage", "speed");
  if (pct === 0) return onOff("HassTurnOff", ctx);
  if (pct !== undefined) {
    const low = num(ctx.config, "speed_range_min", 1);
    const high = num(ctx.config, "speed_range_max", 100);
    // percentage_to_ranged_value, rounded up so a small percentage is never "off".
    const value = Math.ceil(((high - low + 1) * pct) / 100 + (low - 1));
    commands.push(
      command(
        ctx,
        "percentage_command_topic",
        templated(ctx, "percentage_command_template", value),
        "change speed",
      ),
    );
  }
  if (commands.length === 0) throw new Refusal(`What speed should ${ctx.the} run at?`);
  return commands;
}

// ---------------------------------------------------------------------------------------------
// Covers, valves

/** find_in_range_from_percent: 0–100 to the device's position_closed…position_open. */
function devicePosition(ctx: Ctx, pct: number): number {
  const open = num(ctx.config, "position_open", 100);
  const closed = num(ctx.config, "position_closed", 0);
  return pyRound((open - closed) * (pct / 100)) + closed;
}

function coverOpenClose(intent: string, ctx: Ctx): boolean {
  if (intent === "HassTurnOn") return true;
  if (intent === "HassTurnOff") return false;
  if (intent === "HassToggle") {
    const state = ctx.entity.state;
    if (state === "open" || state === "opening") return false;
    if (state === "closed" || state === "closing") return true;
    throw new Refusal(`I don't know whether ${ctx.the} is open or closed.`);
  }
  throw new Refusal(`${ctx.The} can only be opened, closed or set to a position.`);
}

function cover(intent: string, ctx: Ctx): MqttCommand[] {
  if (intent === "HassSetPosition") {
    const pct = percentSlot(ctx, "position");
    if (pct === undefined) throw new Refusal(`What position should ${ctx.the} go to?`);
    if (!has(ctx, "set_position_topic")) {
      // Fully open or closed can still be done with the open/close payloads.
      if (pct === 100 || pct === 0) return cover(pct === 100 ? "HassTurnOn" : "HassTurnOff", ctx);
      throw new Refusal(`${ctx.The} can't be set to a position.`);
    }
    const position = devicePosition(ctx, pct);
    const payload = templated(ctx, "set_position_template", position, {
      position,
      position_open: num(ctx.config, "position_open", 100),
      position_closed: num(ctx.config, "position_closed", 0),
      tilt_min: num(ctx.config, "tilt_min", 0),
      tilt_max: num(ctx.config, "tilt_max", 100),
    });
    return [command(ctx, "set_position_topic", payload)];
  }
  const open = coverOpenClose(intent, ctx);
  const payload = open
    ? payloadOrDisabled(ctx, "payload_open", "OPEN", "be opened")
    : payloadOrDisabled(ctx, "payload_close", "CLOSE", "be closed");
  return [command(ctx, "command_topic", payload, open ? "be opened" : "be closed")];
}

function valve(intent: string, ctx: Ctx): MqttCommand[] {
  const reportsPosition = ctx.config.reports_position === true;
  if (intent === "HassSetPosition") {
    const pct = percentSlot(ctx, "position");
    if (pct === undefined) throw new Refusal(`What position should ${ctx.the} go to?`);
    if (!reportsPosition) {
      if (pct === 100 || pct === 0) return valve(pct === 100 ? "HassTurnOn" : "HassTurnOff", ctx);
      throw new Refusal(`${ctx.The} can't be set to a position.`);
    }
    return [command(ctx, "command_topic", templated(ctx, "command_template", devicePosition(ctx, pct)))];
  }
  const open = coverOpenClose(intent, ctx);
  if (reportsPosition) {
    // With reports_position the position itself is the open/close payload.
    const position = num(ctx.config, open ? "position_open" : "position_closed", open ? 100 : 0);
    return [command(ctx, "command_topic", templated(ctx, "command_template", position))];
  }
  const payload = open
    ? payloadOrDisabled(ctx, "payload_open", "OPEN", "be opened")
    : payloadOrDisabled(ctx, "payload_close", "CLOSE", "be closed");
  return [
    command(
      ctx,
      "command_topic",
      templated(ctx, "command_template", payload),
      open ? "be opened" : "be closed",
    ),
  ];
}

// ---------------------------------------------------------------------------------------------
// Locks, climate

function lock(intent: string, ctx: Ctx): MqttCommand[] {
  if (ctx.config.code_format !== undefined && ctx.config.code_format !== null) {
    throw new Refusal(`${ctx.The} needs a code, which I can't give by voice.`);
  }
  // Toggling a lock by voice is too easy to get wrong: it must be said which way.
  if (intent !== "HassTurnOn" && intent !== "HassTurnOff")
    throw new Refusal(`Say whether to lock or unlock ${ctx.the}.`);
  const locking = intent === "HassTurnOn";
  const payload = text(ctx.config, locking ? "payload_lock" : "payload_unlock", locking ? "LOCK" : "UNLOCK");
  return [
    command(
      ctx,
      "command_topic",
      templated(ctx, "command_template", payload),
      locking ? "be locked" : "be unlocked",
    ),
  ];
}

const DEFAULT_CLIMATE_MODES = ["auto", "off", "cool", "heat", "dry", "fan_only"];

function climateModes(ctx: Ctx): string[] {
  return Array.isArray(ctx.config.modes) ? ctx.config.modes.map(String) : DEFAULT_CLIMATE_MODES;
}

function modeCommand(ctx: Ctx, mode: string): MqttCommand {
  const match = climateModes(ctx).find((m) => m.toLowerCase() === mode.toLowerCase());
  if (!match) throw new Refusal(`${ctx.The} has no ${mode} mode.`);
  return command(ctx, "mode_command_topic", templated(ctx, "mode_command_template", match), "change mode");
}

function climate(intent: string, ctx: Ctx): MqttCommand[] {
  if (intent === "HassClimateSetTemperature") {
    const commands: MqttCommand[] = [];
    const mode = textSlot(ctx, "mode", "hvac_mode");
    if (mode !== undefined) commands.push(modeCommand(ctx, mode));
    const temperature = numberSlot(ctx, "temperature");
    if (temperature !== undefined) {
      if ("min_temp" in ctx.config || "max_temp" in ctx.config) {
        const min = num(ctx.config, "min_temp", Number.NEGATIVE_INFINITY);
        const max = num(ctx.config, "max_temp", Number.POSITIVE_INFINITY);
        if (temperature < min || temperature > max) {
          throw new Refusal(`${ctx.The} can only be set between ${min} and ${max} degrees.`);
        }
      }
      // The service coerces to float, so Home Assistant publishes "21.0" for 21.
      const value = new PyFloat(temperature);
      commands.push(
        command(
          ctx,
          "temperature_command_topic",
          templated(ctx, "temperature_command_template", value),
          "be set to a temperature",
        ),
      );
    }
    if (commands.length === 0) throw new Refusal(`What temperature should ${ctx.the} be set to?`);
    return commands;
  }
  let turnOn: boolean;
  if (intent === "HassTurnOn") turnOn = true;
  else if (intent === "HassTurnOff") turnOn = false;
  else if (intent === "HassToggle")
    turnOn = ctx.entity.state === undefined || ["off", "unknown"].includes(ctx.entity.state);
  else throw new Refusal(`${ctx.The} can be turned on or off, or set to a temperature.`);
  if (has(ctx, "power_command_topic")) {
    const payload = text(ctx.config, turnOn ? "payload_on" : "payload_off", turnOn ? "ON" : "OFF");
    return [command(ctx, "power_command_topic", templated(ctx, "power_command_template", payload))];
  }
  if (!turnOn) return [modeCommand(ctx, "off")];
  const modes = climateModes(ctx);
  const mode = modes.includes("heat") ? "heat" : (modes.find((m) => m !== "off") ?? "heat");
  return [modeCommand(ctx, mode)];
}

// ---------------------------------------------------------------------------------------------
// Vacuums, numbers, selects

function vacuum(intent: string, ctx: Ctx): MqttCommand[] {
  switch (intent) {
    case "HassVacuumStart":
    case "HassTurnOn":
      return [command(ctx, "command_topic", text(ctx.config, "payload_start", "start"), "start")];
    case "HassVacuumReturnToBase":
    case "HassTurnOff":
      return [
        command(
          ctx,
          "command_topic",
          text(ctx.config, "payload_return_to_base", "return_to_base"),
          "go home",
        ),
      ];
    case "HassMediaPause":
      return [command(ctx, "command_topic", text(ctx.config, "payload_pause", "pause"), "pause")];
    case "HassVacuumSendCommand": {
      const cmd = textSlot(ctx, "command");
      if (cmd === undefined) throw new Refusal(`What should I tell ${ctx.the}?`);
      return [command(ctx, "send_command_topic", cmd, "take commands")];
    }
    default:
      throw new Refusal(`${ctx.The} can only start or return to its base.`);
  }
}

/**
 * Home Assistant's MQTT lawn mower: each action has its own topic and template, rendered with the
 * action's name as `value` ("start_mowing", "dock", "pause"), which is also the payload without one.
 */
function lawnMower(intent: string, ctx: Ctx): MqttCommand[] {
  const act = (action: string, what: string): MqttCommand[] => [
    command(ctx, `${action}_command_topic`, templated(ctx, `${action}_command_template`, action), what),
  ];
  switch (intent) {
    case "HassLawnMowerStartMowing":
    case "HassTurnOn":
      return act("start_mowing", "start mowing");
    case "HassLawnMowerDock":
    case "HassTurnOff":
      return act("dock", "go back to its dock");
    case "HassMediaPause":
      return act("pause", "pause");
    default:
      throw new Refusal(`${ctx.The} can only start mowing or go back to its dock.`);
  }
}

function numberEntity(intent: string, ctx: Ctx): MqttCommand[] {
  if (intent !== "HassSetValue") throw new Refusal(`${ctx.The} can only be set to a value.`);
  const value = numberSlot(ctx, "value");
  if (value === undefined) throw new Refusal(`What should ${ctx.the} be set to?`);
  const min = num(ctx.config, "min", 1);
  const max = num(ctx.config, "max", 100);
  if (value < min || value > max) throw new Refusal(`${ctx.The} can only be set between ${min} and ${max}.`);
  // Home Assistant sends whole numbers as integers and everything else as a float.
  const payload = Number.isInteger(value) ? value : new PyFloat(value);
  return [command(ctx, "command_topic", templated(ctx, "command_template", payload))];
}

function selectEntity(intent: string, ctx: Ctx): MqttCommand[] {
  if (intent !== "HassSelectOption") throw new Refusal(`${ctx.The} can only be set to one of its options.`);
  const option = textSlot(ctx, "option", "value");
  if (option === undefined) throw new Refusal(`Which option should ${ctx.the} be set to?`);
  const options = Array.isArray(ctx.config.options) ? ctx.config.options.map(String) : [];
  const match = options.find((o) => o.toLowerCase() === option.toLowerCase());
  if (!match) throw new Refusal(`${ctx.The} has no option ${option}.`);
  return [command(ctx, "command_topic", templated(ctx, "command_template", match))];
}
