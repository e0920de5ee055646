import { readdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { checkWhisperModel } from "../audio/stt/whisper-model-check.js";
import type { Config } from "../config/schema.js";
import { HearthError } from "../core/errors.js";
import { type AvailableMemory, checkModelFile, formatBytes, readAvailableMemory } from "../llm/gguf-check.js";
import { type CheckResult, describeError, result } from "./check.js";

export interface ModelsCheckOptions {
  /** Memory the models must fit in; default MemAvailable from /proc/meminfo. */
  availableMemory?: (() => Promise<AvailableMemory> | AvailableMemory) | undefined;
}

/** Bytes each present model will occupy, summed for the memory verdict. */
interface Sized {
  what: string;
  bytes: number;
}

/**
 * Whether every model file the configuration uses is present and sound, and whether together they
 * fit in the memory available: the LLM (llm.model, its weights plus the KV cache of
 * llm.context_size), the whisper model (stt.whisper.model), pocketsphinx's acoustic model and
 * dictionary, and piper's voice. Only headers are read: a 2 GB model is checked in milliseconds.
 * One result per model the config names, then one for memory.
 */
export async function checkModels(
  config: Config,
  baseDir: string,
  options: ModelsCheckOptions = {},
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const sized: Sized[] = [];
  const path = (file: string): string => resolve(baseDir, file);

  const { llm, stt, tts, audio } = config;
  if (llm.mode !== "off" && llm.model !== undefined) {
    const file = path(llm.model);
    try {
      // The memory verdict is made below over all models together, so none is refused alone here.
      const facts = await checkModelFile(file, {
        contextTokens: llm.context_size,
        availableMemory: () => ({ bytes: Number.MAX_SAFE_INTEGER, source: "" }),
      });
      sized.push({ what: "LLM", bytes: facts.requiredBytes });
      results.push(
        result(
          "llm-model",
          "LLM model",
          true,
          `${file}: ${formatBytes(facts.bytes)}, ${facts.architecture}${facts.name ? ` "${facts.name}"` : ""}; ` +
            `needs about ${formatBytes(facts.requiredBytes)} with a ${llm.context_size}-token context`,
        ),
      );
    } catch (err) {
      if (!(err instanceof HearthError)) throw err;
      results.push(
        result(
          "llm-model",
          "LLM model",
          false,
          describeError(err),
          "fetch a model with `hearth models pull` and point llm.model at it, or set llm.mode to off (templates only)",
        ),
      );
    }
  }

  if (stt.engine === "whisper") {
    if (stt.whisper.model === undefined) {
      results.push(
        result(
          "whisper-model",
          "Whisper model",
          false,
          "stt.engine is whisper but stt.whisper.model is not set",
          "fetch one with `hearth models pull` (e.g. a ggml-base.en.bin) and set stt.whisper.model to its path",
        ),
      );
    } else {
      const file = path(stt.whisper.model);
      try {
        const facts = await checkWhisperModel(file);
        sized.push({ what: "whisper", bytes: facts.bytes });
        results.push(
          result(
            "whisper-model",
            "Whisper model",
            true,
            `${file}: ${formatBytes(facts.bytes)}, ${facts.multilingual ? "multilingual" : "English-only"}, ` +
              `${facts.nAudioLayer}+${facts.nTextLayer} layers`,
          ),
        );
      } catch (err) {
        if (!(err instanceof HearthError)) throw err;
        results.push(
          result(
            "whisper-model",
            "Whisper model",
            false,
            describeError(err),
            "fetch the model again with `hearth models pull` and check stt.whisper.model, or set stt.engine to pocketsphinx",
          ),
        );
      }
    }
  }

  if (stt.engine === "pocketsphinx") {
    const ps = stt.pocketsphinx;
    const model = path(ps.acoustic_model);
    const dictionary = path(ps.dictionary);
    const modelBytes = await folderBytes(model);
    const dictionaryBytes = await fileBytes(dictionary);
    const missing = [
      ...(modelBytes === undefined
        ? [`acoustic model folder ${model} (stt.pocketsphinx.acoustic_model)`]
        : []),
      ...(dictionaryBytes === undefined ? [`dictionary ${dictionary} (stt.pocketsphinx.dictionary)`] : []),
    ];
    if (missing.length > 0) {
      results.push(
        result(
          "pocketsphinx-model",
          "Pocketsphinx model",
          false,
          missing.map((m) => `missing: ${m}`).join("\n"),
          "sudo apt install pocketsphinx-en-us (Debian's model), or correct the paths in stt.pocketsphinx",
        ),
      );
    } else {
      const bytes = (modelBytes ?? 0) + (dictionaryBytes ?? 0);
      sized.push({ what: "pocketsphinx", bytes });
      results.push(
        result(
          "pocketsphinx-model",
          "Pocketsphinx model",
          true,
          `${model} and ${dictionary}: ${formatBytes(bytes)}`,
        ),
      );
    }
  }

  if (tts.engine === "piper" && audio.sink !== "null") {
    if (tts.piper_model === undefined) {
      results.push(
        result(
          "piper-voice",
          "Piper voice",
          false,
          "tts.engine is piper but tts.piper_model is not set",
          "download a piper voice (.onnx with its .onnx.json) and set tts.piper_model, or choose another tts.engine",
        ),
      );
    } else {
      const file = path(tts.piper_model);
      const bytes = await fileBytes(file);
      const json = await fileBytes(`${file}.json`);
      if (bytes === undefined || json === undefined) {
        const missing = bytes === undefined ? file : `${file}.json (the voice's settings, kept beside it)`;
        results.push(
          result(
            "piper-voice",
            "Piper voice",
            false,
            `missing: ${missing}`,
            "put the voice's .onnx and .onnx.json files side by side and set tts.piper_model to the .onnx",
          ),
        );
      } else {
        sized.push({ what: "piper", bytes });
        results.push(result("piper-voice", "Piper voice", true, `${file}: ${formatBytes(bytes)}`));
      }
    }
  }

  if (sized.length > 0) {
    const available = await (options.availableMemory ?? readAvailableMemory)();
    const total = sized.reduce((sum, s) => sum + s.bytes, 0);
    const parts = sized.map((s) => `${s.what} ${formatBytes(s.bytes)}`).join(" + ");
    const detail = `models need about ${formatBytes(total)} (${parts}); ${formatBytes(available.bytes)} available (${available.source})`;
    results.push(
      total > available.bytes
        ? result(
            "memory",
            "Memory for models",
            false,
            detail,
            "choose smaller models (a smaller or more quantised LLM, a lower llm.context_size, whisper tiny/base), or free memory; if Hearth is running now its models are already loaded and not counted as available, so stop it and check again",
          )
        : result("memory", "Memory for models", true, detail),
    );
  }
  return results;
}

async function fileBytes(file: string): Promise<number | undefined> {
  try {
    const s = await stat(file);
    return s.isFile() ? s.size : undefined;
  } catch {
    return undefined;
  }
}

/** Total size of the files directly in a folder (pocketsphinx's model folder is flat). */
async function folderBytes(dir: string): Promise<number | undefined> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    let total = 0;
    for (const entry of entries) {
      if (entry.isFile()) total += (await stat(join(dir, entry.name))).size;
    }
    return total;
  } catch {
    return undefined;
  }
}
