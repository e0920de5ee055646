import type { Config } from "../../src/config/schema.js";
import type { Clock } from "../../src/core/clock.js";
import type { EventBus } from "../../src/core/event-bus.js";
import type { HearthEvents } from "../../src/core/events.js";
import { silentLogger } from "../../src/core/logger.js";
import { ListeningLoop, type TextRunner } from "../../src/pipeline/listening-loop.js";
import { loopOptionsFromConfig, type SpeechPath } from "../../src/pipeline/speech-path.js";
import { ManualClock } from "./manual-clock.js";

/**
 * A listening loop over a built speech path, wired as app.ts wires the daemon's (not started). Its
 * stage deadlines run on `wiring.clock`, by default a ManualClock of its own that nothing moves: a
 * test that is not about deadlines never meets one, however slow the machine is.
 */
export function loopOver(
  speech: SpeechPath,
  config: Config,
  wiring: { pipeline: TextRunner; bus: EventBus<HearthEvents>; clock?: Clock },
): ListeningLoop {
  return new ListeningLoop(
    {
      ...speech.listeningStages(),
      ...wiring,
      clock: wiring.clock ?? new ManualClock(),
      log: silentLogger(),
      siteId: config.site.id,
    },
    loopOptionsFromConfig(config, speech.recording),
  );
}
