// The launcher lives in bench/lib (plain JS) so that scripts/soak.mjs starts its broker the same way.
export {
  freePort,
  type Mosquitto,
  type MosquittoOptions,
  startMosquitto,
} from "../../bench/lib/mosquitto.mjs";
