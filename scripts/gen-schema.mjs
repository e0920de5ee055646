#!/usr/bin/env node
// Writes config/hearth.schema.json (the editor schema) from the compiled config schema.
// Run through `npm run schema`, which compiles first; tests/config/json-schema.test.ts fails when
// the committed file differs from what this writes.
import { writeFileSync } from "node:fs";

const target = new URL("../config/hearth.schema.json", import.meta.url);
let mod;
try {
  mod = await import("../dist/config/json-schema.js");
} catch (err) {
  console.error(
    `cannot load dist/config/json-schema.js (${err.message}); run \`npm run schema\`, which builds first`,
  );
  process.exit(1);
}
writeFileSync(target, mod.configJsonSchemaText());
console.log(`wrote ${target.pathname}`);
