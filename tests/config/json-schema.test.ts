import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { describe, expect, test } from "vitest";
import { configJsonSchema, configJsonSchemaText } from "../../src/config/json-schema.js";

const committed = readFileSync(new URL("../../config/hearth.schema.json", import.meta.url), "utf8");

interface JsonSchemaNode {
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  anyOf?: JsonSchemaNode[];
  additionalProperties?: boolean | JsonSchemaNode;
  description?: string;
  default?: unknown;
  required?: string[];
}

describe("configJsonSchema", () => {
  test("config/hearth.schema.json is up to date with the config schema", () => {
    // A plain message rather than a diff of the whole file: what to do is the useful part.
    if (committed !== configJsonSchemaText()) {
      expect.fail(
        "config/hearth.schema.json is stale: run `npm run schema` to regenerate it, then commit it",
      );
    }
  });

  test("carries an $id, a title and the draft it follows", () => {
    const schema = configJsonSchema();
    expect(schema.$id).toBe("urn:hearth:config");
    expect(schema.title).toBe("Hearth configuration");
    expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
  });

  test("does not bake in the hostname of the machine that generated it", () => {
    const site = (configJsonSchema() as JsonSchemaNode).properties?.site;
    expect(site?.properties?.id).toBeDefined();
    expect(site?.properties?.id?.default).toBeUndefined();
    expect(JSON.stringify(site)).not.toContain(JSON.stringify(hostname()));
  });

  test("describes the input: keys with defaults are optional and show their default", () => {
    const schema = configJsonSchema() as JsonSchemaNode;
    expect(schema.required ?? []).toEqual([]);
    expect(schema.properties?.intents?.properties?.fuzzy_threshold?.default).toBe(0.8);
    expect(schema.properties?.devices?.items?.required).toEqual(["id", "name"]);
  });

  test("documents every key of the config sections this module owns and rejects unknown keys", () => {
    const schema = configJsonSchema() as JsonSchemaNode;
    const undocumented: string[] = [];
    const walk = (node: JsonSchemaNode | undefined, path: string) => {
      if (!node) return;
      for (const [key, child] of Object.entries(node.properties ?? {})) {
        if (!child.description) undocumented.push(`${path}.${key}`);
        walk(child, `${path}.${key}`);
      }
      walk(node.items, `${path}[]`);
    };
    for (const section of ["site", "floors", "areas", "devices", "logging"]) {
      const node = schema.properties?.[section];
      if (!node?.description) undocumented.push(section);
      walk(node, section);
      const objectNode = node?.items ?? node;
      expect(objectNode?.additionalProperties, section).toBe(false);
    }
    expect(undocumented).toEqual([]);
  });
});
