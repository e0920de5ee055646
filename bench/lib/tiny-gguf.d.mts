/**
 * Writes a tiny random-weight GGUF v3 model (llama architecture) that llama.cpp, and so
 * node-llama-cpp, loads and generates from. It exists so that the LLM path can be exercised where
 * no model can be downloaded: the tests (its output is noise, which is the point: the JSON-schema
 * grammar must keep even a model that knows nothing inside the registry), the benchmark
 * (`bench/llm.mjs` measures Hearth's own overhead, load time and the native runtime's speed with
 * it), and checking that a board's llama.cpp build loads and generates at all, without downloading
 * anything. It is never used to understand anyone.
 *
 * Layout per ggml's docs/gguf.md: header (magic, version 3, tensor count, key/value count), the
 * metadata key/values, the tensor infos (name, dims innermost first, ggml type, offset into the
 * data section), padding to `general.alignment`, then the tensor data, each tensor aligned.
 * Keys and tensor names are those llama.cpp's llama-arch.cpp reads for LLM_ARCH_LLAMA.
 *
 * The tokenizer is SentencePiece-style (`tokenizer.ggml.model = "llama"`): control tokens, the 256
 * byte-fallback tokens `<0x00>`…`<0xFF>` (so any text, any UTF-8, tokenizes), one token per
 * printable ASCII character plus `▁` (the SentencePiece space), and byte-pair merges learnt from
 * a small corpus so that text takes about as many tokens as with a real model.
 */
/** What the generated model looks like; every field has a small default. */
export interface TinyGgufOptions {
  /** Seed of the weights' pseudo-random generator: the same seed gives the same file. Default 1. */
  seed?: number;
  /** Embedding width. Default 64. */
  embeddingLength?: number;
  /** Transformer blocks. Default 2. */
  blockCount?: number;
  /**
   * Attention heads (embeddingLength must divide by it). Default 1: on CPU each head costs time
   * per token in proportion to the context length (about 0.35 ms per head and layer at 2,400
   * context tokens here), and a system prompt with a device list is long at one token a character.
   */
  headCount?: number;
  /** Key/value heads (grouped-query attention when fewer than headCount). Default: headCount. */
  headCountKv?: number;
  /** Feed-forward width. Default 128. */
  feedForwardLength?: number;
  /** The training context length the model announces. Default 4096. */
  contextLength?: number;
  /** Jinja chat template stored in `tokenizer.chat_template`. Default: ChatML. */
  chatTemplate?: string;
  /** `general.name`. Default "hearth-tiny-test". */
  name?: string;
  /** Standard deviation-ish scale of the uniform random weights. Default 0.05. */
  weightScale?: number;
  /** Text the tokenizer's merges are learnt from. Default {@link DEFAULT_CORPUS}. */
  corpus?: string;
  /** How many merges to learn (each one vocabulary token). Default 400; 0 is one token a character. */
  merges?: number;
}
/** What was written, for tests that need to know the vocabulary or the sizes. */
export interface TinyGgufInfo {
  path: string;
  bytes: number;
  vocabularySize: number;
  tensorCount: number;
  /** Byte offset where the tensor data section starts. */
  dataOffset: number;
}
/** ChatML, the template Qwen and many small instruct models use; node-llama-cpp recognises it. */
export declare const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
/**
 * Text the tokenizer's merges are learnt from: the shape of a voice assistant's prompts and JSON
 * replies. A character-level vocabulary would make a system prompt with a device list four times
 * as many tokens as a real model's, and on the CPU every context token costs time at every step.
 */
export declare const DEFAULT_CORPUS =
  '\nYou are Hearth, the voice assistant of a home. Turn the user\'s request into one JSON object.\nFor a command or a question about the home, reply with the intent and its slots, using only the\nintents, slots, names and areas listed below, spelled exactly as listed. If nothing fits, reply none.\nFor any other question or chat, reply with an answer of one or two short sentences.\nIntents and their slot combinations. Slots: name, area, floor, domain, device class, brightness,\ncolor, position, temperature, percentage, volume level, state, hours, minutes, seconds, item.\nHassTurnOn HassTurnOff HassToggle HassLightSet HassSetPosition HassClimateSetTemperature\nHassClimateGetTemperature HassGetState HassFanSetSpeed HassSetVolume HassMediaPause HassMediaUnpause\nHassMediaNext HassVacuumStart HassVacuumReturnToBase HassStartTimer HassCancelTimer HassTimerStatus\nHassShoppingListAddItem HassGetWeather HassGetCurrentTime HassGetCurrentDate HassNevermind\nturn on, open, lock or activate devices; turn off, close or unlock devices; toggle devices; set\nlights\' brightness or color; set covers\' or valves\' position; set the target temperature; tell the\ncurrent temperature; tell whether devices are on, off, open, locked or a sensor\'s value; set fans\'\nspeed; set a media player\'s volume; pause the music or video; resume; skip to the next track; start\nthe vacuum cleaner; send it back to its dock; start a timer; cancel the timer; tell how long the\ntimer has left; add an item to the shopping list; tell the weather; tell the time; tell the date.\nFloors: Ground Floor; Upstairs; Downstairs; Basement; Attic. Areas: Kitchen; Living Room; Bedroom;\nBathroom; Office; Garage; Garden; Hallway; Dining Room; Patio. Devices (name: domain, area):\nlight, switch, fan, cover, climate, lock, valve, vacuum, media_player, scene, script, sensor,\nbinary_sensor, weather, todo, humidifier, water_heater, input_boolean, automation, blind, garage,\ntemperature, humidity. Ceiling Light, Lamp, Lights, Desk Lamp, Reading Lamp, Bedside Lamp, Counter\nLights, Coffee Maker, Television, Ceiling Fan, Garage Door, Blinds, Thermostat, Front Door, Robot\nVacuum, Forecast, Movie Night, Heater, Plug, Speaker, Window, Door, Device, Room.\nContext: The speaker is in the Kitchen. Last devices: Desk Lamp (Office). Last area: Office.\nRequest: turn on the kitchen light please. Switch off the lights in the living room. Is the garage\ndoor open? It\'s too dark in here. I\'m heading to bed, shut everything downstairs. Make it brighter.\nAnd the bedroom too. How many minutes in three hours? Tell me a joke. What time is it?\n{"intent": "HassTurnOn", "slots": {"name": "Kitchen Light"}}\n{"intent": "HassTurnOff", "slots": {"area": "Living Room", "domain": "light"}}\n{"intent": "HassLightSet", "slots": {"brightness": 40, "name": "Desk Lamp"}}\n{"intent": "HassClimateSetTemperature", "slots": {"temperature": 21.5}}\n{"intent": "HassGetState", "slots": {"name": "Garage Door", "state": "open"}}\n{"intent": "none"}\n{"answer": "There are 180 minutes in three hours."}\n';
/** Builds the GGUF bytes in memory (a few hundred KiB with the defaults). */
export declare function buildTinyGguf(options?: TinyGgufOptions): {
  buffer: Buffer;
  info: Omit<TinyGgufInfo, "path">;
};
/** Writes the tiny model to `path` (see {@link buildTinyGguf}). */
export declare function makeTinyGguf(path: string, options?: TinyGgufOptions): Promise<TinyGgufInfo>;
