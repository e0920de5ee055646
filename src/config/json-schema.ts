import { z } from "zod";
import { configSchema, siteSchema } from "./schema.js";

/** The schema's `$id`: a name, not a location (the file travels with each install). */
export const CONFIG_SCHEMA_ID = "urn:hearth:config";

/**
 * The JSON Schema of the configuration file, for editor completion and hover docs (the YAML
 * language server reads it via the `# yaml-language-server: $schema=…` line). Generated from
 * `configSchema`, the single source of truth, describing the input: keys with defaults are optional.
 * Written to `config/hearth.schema.json` by `npm run schema`; a test fails when that file is stale.
 */
export function configJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(configSchema, {
    io: "input",
    // Draft 7 is the newest draft every YAML/JSON editor plugin understands fully.
    target: "draft-07",
    override: (ctx) => {
      // site.id defaults to the hostname at load time; the generated file must not carry the
      // hostname of whichever machine generated it.
      if (ctx.zodSchema === siteSchema.shape.id) delete ctx.jsonSchema.default;
    },
  }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return { $schema, $id: CONFIG_SCHEMA_ID, title: "Hearth configuration", ...rest };
}

/** The exact text of `config/hearth.schema.json`. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
