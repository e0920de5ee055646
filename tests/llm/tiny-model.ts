import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { systemClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import { LlamaRuntime, type LlamaRuntimeOptions } from "../../src/llm/runtime.js";
import { makeTinyGguf, type TinyGgufInfo } from "../helpers/make-gguf.js";

/** A directory of its own with the generated tiny model in it; `cleanup` removes both. */
export interface TinyModelDir {
  dir: string;
  model: TinyGgufInfo;
  cleanup(): Promise<void>;
}

export async function tinyModelDir(): Promise<TinyModelDir> {
  const dir = await mkdtemp(join(tmpdir(), "hearth-llm-"));
  const model = await makeTinyGguf(join(dir, "tiny.gguf"), { seed: 7 });
  return { dir, model, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A runtime for the tiny model: one thread (the test machines have two cores, shared). */
export function tinyRuntime(modelPath: string, options: Partial<LlamaRuntimeOptions> = {}): LlamaRuntime {
  return new LlamaRuntime(
    { modelPath, threads: 1, contextSize: 4096, batchSize: 512, gpu: false, ...options },
    { logger: silentLogger(), clock: systemClock },
  );
}
