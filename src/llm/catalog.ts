/**
 * The built-in catalog of models known to fit small boards (a Raspberry Pi 4/5 with 2–8 GB).
 *
 * Every URL pins a repository revision, so the file behind it cannot change under the checksum.
 * Sizes and SHA-256 digests are the Git LFS object ids Hugging Face publishes for each file; `source`
 * says where each figure was confirmed. An entry whose figures could not be confirmed carries
 * `sizeBytes: null, sha256: null` and pulls as "no published checksum" — a checksum is never guessed.
 *
 * `ramBytes` is an estimate of resident memory while the model is in use, never a measurement on
 * this project's hardware; `ramNote` says how it was derived.
 */

/** What a model file is for. */
export type ModelKind = "llm" | "whisper";

/** One downloadable model file. */
export interface CatalogEntry {
  /** Stable id used on the command line (`hearth models pull qwen2.5-0.5b-instruct-q4_k_m`). */
  readonly id: string;
  readonly kind: ModelKind;
  /** Human-readable name. */
  readonly title: string;
  /** File name on disk, inside the models directory. */
  readonly file: string;
  /** Download URL (a Hugging Face `resolve` URL pinned to a revision). */
  readonly url: string;
  /** Exact size in bytes, or null when no published figure could be confirmed. */
  readonly sizeBytes: number | null;
  /** Lower-case hex SHA-256 of the file, or null when none is published ("unverified"). */
  readonly sha256: string | null;
  /** Estimated resident memory in bytes while the model is loaded and in use. */
  readonly ramBytes: number;
  /** How `ramBytes` was obtained. */
  readonly ramNote: string;
  /** SPDX id or licence name; read the licence before use. */
  readonly licence: string;
  /** Where the size and checksum were confirmed. */
  readonly source: string;
}

const HF = "https://huggingface.co";
const MB = 1_000_000;

/** whisper.cpp's ggml conversions, all from one revision of the model repository. */
const WHISPER_REPO = "ggerganov/whisper.cpp";
const WHISPER_REVISION = "5359861c739e955e79d9a303bcbc70fb988958b1";
const WHISPER_SOURCE =
  "Git LFS size and sha256 of ggerganov/whisper.cpp at revision 5359861c, as pinned by several " +
  "independent open-source model managers; whisper.cpp's models/README.md publishes SHA-1 only";
const WHISPER_RAM_F16 =
  "whisper.cpp README 'Memory usage' table (tiny ~273 MB, base ~388 MB for the f16 files)";
const WHISPER_RAM_QUANT =
  "estimate: the f16 figure from whisper.cpp's README 'Memory usage' table minus the smaller file size";
const LLM_RAM =
  "estimate: file size plus a 2,048-token f16 KV cache and ~150 MB llama.cpp runtime, rounded up; " +
  "a longer context needs more";

function whisper(
  id: string,
  title: string,
  file: string,
  sizeBytes: number,
  sha256: string,
  ramBytes: number,
  ramNote: string,
): CatalogEntry {
  return {
    id,
    kind: "whisper",
    title,
    file,
    url: `${HF}/${WHISPER_REPO}/resolve/${WHISPER_REVISION}/${file}`,
    sizeBytes,
    sha256,
    ramBytes,
    ramNote,
    licence: "MIT",
    source: WHISPER_SOURCE,
  };
}

/** Every model Hearth can pull by id, LLMs first, smallest first within a kind. */
export const MODEL_CATALOG: readonly CatalogEntry[] = [
  {
    id: "qwen2.5-0.5b-instruct-q4_k_m",
    kind: "llm",
    title: "Qwen2.5 0.5B Instruct, Q4_K_M",
    file: "qwen2.5-0.5b-instruct-q4_k_m.gguf",
    url: `${HF}/Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/9217f5db79a29953eb74d5343926648285ec7e67/qwen2.5-0.5b-instruct-q4_k_m.gguf`,
    sizeBytes: 491_400_032,
    sha256: "74a4da8c9fdbcd15bd1f6d01d621410d31c6fc00986f5eb687824e7b93d7a9db",
    ramBytes: 700 * MB,
    ramNote: LLM_RAM,
    licence: "Apache-2.0",
    source:
      "Git LFS size and sha256 of Qwen/Qwen2.5-0.5B-Instruct-GGUF at revision 9217f5db, as pinned by " +
      "several independent projects",
  },
  {
    id: "qwen3-0.6b-q8_0",
    kind: "llm",
    title: "Qwen3 0.6B, Q8_0",
    file: "Qwen3-0.6B-Q8_0.gguf",
    url: `${HF}/Qwen/Qwen3-0.6B-GGUF/resolve/23749fefcc72300e3a2ad315e1317431b06b590a/Qwen3-0.6B-Q8_0.gguf`,
    sizeBytes: 639_446_688,
    sha256: "9465e63a22add5354d9bb4b99e90117043c7124007664907259bd16d043bb031",
    ramBytes: 1_000 * MB,
    ramNote: LLM_RAM,
    licence: "Apache-2.0",
    source:
      "Git LFS size and sha256 of Qwen/Qwen3-0.6B-GGUF at revision 23749fef, as pinned by several " +
      "independent projects",
  },
  {
    id: "llama-3.2-1b-instruct-q4_k_m",
    kind: "llm",
    title: "Llama 3.2 1B Instruct, Q4_K_M (bartowski's quantization)",
    file: "Llama-3.2-1B-Instruct-Q4_K_M.gguf",
    url: `${HF}/bartowski/Llama-3.2-1B-Instruct-GGUF/resolve/067b946cf014b7c697f3654f621d577a3e3afd1c/Llama-3.2-1B-Instruct-Q4_K_M.gguf`,
    sizeBytes: 807_694_464,
    sha256: "6f85a640a97cf2bf5b8e764087b1e83da0fdb51d7c9fab7d0fece9385611df83",
    ramBytes: 1_100 * MB,
    ramNote: LLM_RAM,
    licence: "Llama 3.2 Community License",
    source:
      "Git LFS size and sha256 of bartowski/Llama-3.2-1B-Instruct-GGUF at revision 067b946c, as pinned " +
      "by several independent projects",
  },
  {
    id: "qwen2.5-1.5b-instruct-q4_k_m",
    kind: "llm",
    title: "Qwen2.5 1.5B Instruct, Q4_K_M",
    file: "qwen2.5-1.5b-instruct-q4_k_m.gguf",
    url: `${HF}/Qwen/Qwen2.5-1.5B-Instruct-GGUF/resolve/91cad51170dc346986eccefdc2dd33a9da36ead9/qwen2.5-1.5b-instruct-q4_k_m.gguf`,
    sizeBytes: 1_117_320_736,
    sha256: "6a1a2eb6d15622bf3c96857206351ba97e1af16c30d7a74ee38970e434e9407e",
    ramBytes: 1_400 * MB,
    ramNote: LLM_RAM,
    licence: "Apache-2.0",
    source:
      "Git LFS size and sha256 of Qwen/Qwen2.5-1.5B-Instruct-GGUF at revision 91cad511, as pinned by " +
      "several independent projects",
  },
  whisper(
    "whisper-tiny.en-q5_1",
    "Whisper tiny.en, q5_1",
    "ggml-tiny.en-q5_1.bin",
    32_166_155,
    "c77c5766f1cef09b6b7d47f21b546cbddd4157886b3b5d6d4f709e91e66c7c2b",
    230 * MB,
    WHISPER_RAM_QUANT,
  ),
  whisper(
    "whisper-tiny.en-q8_0",
    "Whisper tiny.en, q8_0",
    "ggml-tiny.en-q8_0.bin",
    43_550_795,
    "5bc2b3860aa151a4c6e7bb095e1fcce7cf12c7b020ca08dcec0c6d018bb7dd94",
    240 * MB,
    WHISPER_RAM_QUANT,
  ),
  whisper(
    "whisper-tiny.en",
    "Whisper tiny.en (f16)",
    "ggml-tiny.en.bin",
    77_704_715,
    "921e4cf8686fdd993dcd081a5da5b6c365bfde1162e72b08d75ac75289920b1f",
    273 * MB,
    WHISPER_RAM_F16,
  ),
  whisper(
    "whisper-base.en-q5_1",
    "Whisper base.en, q5_1",
    "ggml-base.en-q5_1.bin",
    59_721_011,
    "4baf70dd0d7c4247ba2b81fafd9c01005ac77c2f9ef064e00dcf195d0e2fdd2f",
    300 * MB,
    WHISPER_RAM_QUANT,
  ),
  whisper(
    "whisper-base.en-q8_0",
    "Whisper base.en, q8_0",
    "ggml-base.en-q8_0.bin",
    81_781_811,
    "a4d4a0768075e13cfd7e19df3ae2dbc4a68d37d36a7dad45e8410c9a34f8c87e",
    325 * MB,
    WHISPER_RAM_QUANT,
  ),
  whisper(
    "whisper-base.en",
    "Whisper base.en (f16)",
    "ggml-base.en.bin",
    147_964_211,
    "a03779c86df3323075f5e796cb2ce5029f00ec8869eee3fdfb897afe36c6d002",
    388 * MB,
    WHISPER_RAM_F16,
  ),
];

/** The catalog entry with this id, if any. */
export function findCatalogEntry(
  id: string,
  catalog: readonly CatalogEntry[] = MODEL_CATALOG,
): CatalogEntry | undefined {
  return catalog.find((entry) => entry.id === id);
}
