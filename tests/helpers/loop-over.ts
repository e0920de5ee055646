import type { Config } from "../../src/config/schema.js";
import { systemClock } from "../../src/core/clock.js";
import type { EventBus } from "../../src/core/event-bus.js";
import type { HearthEvents } from "../../src/core/events.js";
import { silentLogger } from "../../src/core/logger.js";
import { ListeningLoop, type TextRunner } from "../../src/pipeline/listening-loop.js";
import { loopOptionsFromConfig, type SpeechPath } from "../../src/pipeline/speech-path.js";

/** A listening loop over a built speech path, wired as app.ts wires the daemon's (not started). */
export function loopOver(
  speech: SpeechPath,
  config: Config,
  wiring: { pipeline: TextRunner; bus: EventBus<HearthEvents> },
): ListeningLoop {
  return new ListeningLoop(
    {
      ...speech.listeningStages(),
      ...wiring,
      clock: systemClock,
      log: silentLogger(),
      siteId: config.site.id,
    },
    loopOptionsFromConfig(config, speech.recording),
  );
}
