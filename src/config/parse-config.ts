import { HearthError } from "../core/errors.js";
import { type ConfigProblem, formatConfigProblem } from "./problem.js";
import { resolveReferences } from "./references.js";
import { type Config, configSchema } from "./schema.js";
import { parseYamlSource } from "./yaml-source.js";
import { problemsFromZod } from "./zod-problems.js";

/**
 * Parses and validates the text of a configuration file: YAML syntax, the schema (unknown keys are
 * errors) and the cross-references between floors, areas and devices. An empty file is a valid
 * config of defaults. Every problem is collected before failing, so one run of
 * `hearth check-config` shows them all.
 *
 * @param source names the file in the error message.
 * @throws HearthError CONFIG_INVALID whose `details` are lines like
 *   `devices[2].area: unknown area "Garaje" (line 14, column 11)`, in file order.
 */
export function parseConfig(text: string, source = "configuration"): Config {
  const yaml = parseYamlSource(text);
  let problems: ConfigProblem[] = [...yaml.problems];
  let config: Config | undefined;
  if (problems.length === 0) {
    // A file of only comments parses to undefined (and an explicit `~` to null): all defaults.
    const data = yaml.data ?? {};
    const parsed = configSchema.safeParse(data);
    if (parsed.success) config = parsed.data;
    else problems.push(...problemsFromZod(parsed.error.issues, data, configSchema));
    // Cross-references are checked even when the schema failed, so all problems come at once.
    problems.push(...resolveReferences(data).problems);
    problems = problems.map((p) => ({ ...p, ...yaml.locate(p.path, p.at) }));
  }
  if (config === undefined || problems.length > 0) {
    const sorted = problems
      .map((p, order) => ({ p, order }))
      .sort(
        (a, b) =>
          (a.p.line ?? 0) - (b.p.line ?? 0) || (a.p.column ?? 0) - (b.p.column ?? 0) || a.order - b.order,
      )
      .map(({ p }) => formatConfigProblem(p));
    const details = [...new Set(sorted)];
    const count = details.length === 1 ? "1 problem" : `${details.length} problems`;
    throw new HearthError("CONFIG_INVALID", `${source} is invalid (${count})`, { details });
  }
  return config;
}
