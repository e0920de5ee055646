import type { Command } from "commander";
import { register as checkConfig } from "./check-config.js";
import { register as detectWake } from "./detect-wake.js";
import { register as devices } from "./devices.js";
import { register as doctor } from "./doctor.js";
import { register as language } from "./language.js";
import { register as models } from "./models.js";
import { register as parse } from "./parse.js";
import { register as run } from "./run.js";
import { register as say } from "./say.js";
import { register as transcribe } from "./transcribe.js";
import { register as understand } from "./understand.js";

/** Every subcommand, in the order `hearth --help` lists them. One line per command module. */
export const commands: Array<(program: Command) => void> = [
  run,
  parse,
  checkConfig,
  models,
  language,
  detectWake,
  transcribe,
  understand,
  say,
  devices,
  doctor,
];
