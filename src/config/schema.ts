import { hostname } from "node:os";
import { z } from "zod";

/**
 * The single source of truth for Hearth's configuration: TypeScript types, defaults and the
 * documentation of every key come from here, and `config/hearth.schema.json` is generated from it
 * (`npm run schema`; a test fails when the committed file is stale). Objects are strict: an unknown
 * key is an error, so a typo never silently does nothing.
 */

/** Home Assistant domains Hearth understands. */
export const DOMAINS = [
  "light",
  "switch",
  "fan",
  "cover",
  "climate",
  "lock",
  "valve",
  "vacuum",
  "media_player",
  "scene",
  "script",
  "sensor",
  "binary_sensor",
  "weather",
  "todo",
  "person",
  "button",
  "number",
  "select",
  "humidifier",
  "water_heater",
  "input_boolean",
  "automation",
] as const;
export type Domain = (typeof DOMAINS)[number];

const aliases = z
  .array(z.string().min(1))
  .default([])
  .meta({ description: "Other names people use for it, matched like the name." });

const idPattern = /^[a-z0-9_]+$/;

export const siteSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, "letters, digits, '-' and '_' only (it is part of MQTT topics)")
      .default(() => hostname().replace(/[^A-Za-z0-9_-]/g, "-"))
      .meta({ description: "This satellite's id, used in MQTT topics and Hermes siteId. Default: the hostname." }),
    name: z.string().min(1).default("Hearth").meta({ description: "Display name (Home Assistant device name)." }),
    area: z
      .string()
      .min(1)
      .optional()
      .meta({ description: "The area (name or id) this device stands in; 'the lights' means this area's lights." }),
    language: z.enum(["en"]).default("en").meta({ description: "Language of the built-in sentences." }),
  })
  .meta({ description: "This Hearth device." });

export const floorSchema = z.strictObject({
  name: z.string().min(1).meta({ description: "Display name, e.g. 'Ground floor'." }),
  id: z.string().regex(idPattern, "lower-case letters, digits and '_' only").optional().meta({
    description: "Stable id; derived from the name when absent.",
  }),
  aliases,
});

export const areaSchema = z.strictObject({
  name: z.string().min(1).meta({ description: "Display name, e.g. 'Kitchen'." }),
  id: z.string().regex(idPattern, "lower-case letters, digits and '_' only").optional().meta({
    description: "Stable id; derived from the name when absent.",
  }),
  floor: z.string().min(1).optional().meta({ description: "The floor (name or id) the area is on." }),
  aliases,
});

export const deviceSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z_]+\.[a-z0-9_]+$/, "Home Assistant style entity id, e.g. 'light.kitchen_ceiling'")
    .meta({ description: "Home Assistant style entity id, e.g. light.kitchen_ceiling." }),
  name: z.string().min(1).meta({ description: "The name people say, e.g. 'Kitchen Ceiling'." }),
  domain: z.enum(DOMAINS).optional().meta({ description: "Home Assistant domain; inferred from the id when absent." }),
  area: z.string().min(1).optional().meta({ description: "Area name or id." }),
  aliases,
  device_class: z.string().min(1).optional().meta({ description: "Home Assistant device class, e.g. 'garage', 'temperature'." }),
  unit: z.string().optional().meta({ description: "Unit of measurement of a sensor's state, e.g. '°C'." }),
  state: z
    .union([z.string(), z.number(), z.boolean()])
    .optional()
    .meta({ description: "Initial state ('on', 'off', 'open', '21.5'); replaced by live MQTT state." }),
  attributes: z
    .record(z.string(), z.unknown())
    .default({})
    .meta({ description: "Initial attributes (brightness, temperature, …); replaced by live MQTT state." }),
});

const slotValue = z.union([z.string(), z.number()]);

const listValue = z.union([
  z.string().min(1),
  z.strictObject({
    in: z.string().min(1).meta({ description: "What is said (a template: alternatives and optional words allowed)." }),
    out: slotValue.meta({ description: "The slot value produced." }),
  }),
]);

export const slotListSchema = z.union([
  z.strictObject({
    values: z.array(listValue).min(1).meta({ description: "Words (or {in, out} pairs) the slot accepts." }),
  }),
  z.strictObject({
    range: z.strictObject({
      from: z.number(),
      to: z.number(),
      step: z.number().positive().default(1),
      fractions: z.boolean().default(false).meta({ description: "Accept decimals like 21.5." }),
    }),
  }),
  z.strictObject({
    wildcard: z.literal(true).meta({ description: "Any words (e.g. a timer's name)." }),
  }),
]);

export const intentDataSchema = z.strictObject({
  sentences: z.array(z.string().min(1)).min(1).meta({ description: "Sentence templates." }),
  slots: z
    .record(z.string(), slotValue)
    .default({})
    .meta({ description: "Fixed slot values added when one of these sentences matches." }),
  requires: z
    .strictObject({
      domain: z.array(z.string()).optional(),
      device_class: z.array(z.string()).optional(),
    })
    .optional()
    .meta({ description: "Only devices with these domains / device classes can be targets." }),
  excludes: z
    .strictObject({
      domain: z.array(z.string()).optional(),
      device_class: z.array(z.string()).optional(),
    })
    .optional()
    .meta({ description: "Devices with these domains / device classes are never targets." }),
  context_area: z
    .boolean()
    .default(true)
    .meta({ description: "Without an area in the sentence, use the speaker's area (default true)." }),
});

export const customIntentSchema = z.strictObject({
  sentences: z.array(z.string().min(1)).optional().meta({ description: "Shorthand for one data block." }),
  data: z.array(intentDataSchema).optional(),
  reply: z
    .string()
    .optional()
    .meta({ description: "Spoken reply; {slot} is replaced by the slot's value, e.g. 'One {size} {drink} coming up'." }),
});

export const intentsSchema = z
  .strictObject({
    disabled: z.array(z.string()).default([]).meta({ description: "Built-in intents to switch off, e.g. [HassGetWeather]." }),
    custom: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/), customIntentSchema).default({}).meta({
      description: "Your own intents: name → sentences (and reply).",
    }),
    lists: z.record(z.string(), slotListSchema).default({}).meta({ description: "Slot lists used by {list} in sentences." }),
    expansion_rules: z
      .record(z.string(), z.string())
      .default({})
      .meta({ description: "Reusable template pieces used as <rule>." }),
    skip_words: z.array(z.string()).default([]).meta({ description: "Extra words ignored wherever they appear." }),
    files: z
      .array(z.string())
      .default([])
      .meta({ description: "Extra sentence files (YAML, same format as the built-in ones), relative to this config." }),
    fuzzy_threshold: z
      .number()
      .min(0.5)
      .max(1)
      .default(0.8)
      .meta({ description: "How close a misheard name must be to a real one (1 = exact only). Default 0.8." }),
  })
  .meta({ description: "Sentences and intents." });

export const loggingSchema = z.strictObject({
  level: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  transcripts: z
    .boolean()
    .default(false)
    .meta({ description: "Log what was heard (at debug level only). Off by default: privacy." }),
});

export const configSchema = z
  .strictObject({
    site: siteSchema.prefault({}),
    floors: z.array(floorSchema).default([]),
    areas: z.array(areaSchema).default([]),
    devices: z.array(deviceSchema).default([]),
    intents: intentsSchema.prefault({}),
    logging: loggingSchema.prefault({}),
  })
  .meta({ title: "Hearth configuration", description: "Configuration of the Hearth voice assistant (YAML)." });

/** The configuration as written (defaults optional). */
export type ConfigInput = z.input<typeof configSchema>;
/** The configuration after defaults are applied. */
export type Config = z.output<typeof configSchema>;
export type DeviceConfig = z.output<typeof deviceSchema>;
export type SlotListConfig = z.output<typeof slotListSchema>;
export type IntentDataConfig = z.output<typeof intentDataSchema>;
export type CustomIntentConfig = z.output<typeof customIntentSchema>;
export type IntentsConfig = z.output<typeof intentsSchema>;
