import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(import.meta.dirname, "..", "..", "src");

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) =>
      e.isDirectory() ? sourceFiles(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]),
    ),
  );
  return nested.flat().filter((f) => f.endsWith(".ts"));
}

describe("node-llama-cpp loading", () => {
  it("is imported only lazily, so a Hearth without an LLM never loads it", async () => {
    const offenders: string[] = [];
    for (const file of await sourceFiles(SRC)) {
      const text = await readFile(file, "utf8");
      // static value imports and re-exports; `import type` is erased and `await import()` is lazy
      const statics =
        text.match(/^\s*(import|export)\s+(?!type\b)[^;]*?from\s+["']node-llama-cpp["']/gm) ?? [];
      const bare = text.match(/^\s*import\s+["']node-llama-cpp["']/gm) ?? [];
      if (statics.length + bare.length > 0) offenders.push(file);
    }
    expect(offenders).toEqual([]);
  });

  it("is imported lazily by the runtime", async () => {
    const runtime = await readFile(join(SRC, "llm", "runtime.ts"), "utf8");
    expect(runtime).toContain('await import("node-llama-cpp")');
    expect(runtime).toMatch(/^import type \{[^}]*\} from "node-llama-cpp";/m);
  });
});
