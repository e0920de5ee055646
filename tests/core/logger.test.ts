import { closeSync, openSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger, logFormat } from "../../src/core/logger.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hearth-logger-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** What a logger in `format` writes for two events, read back from a file. */
function written(format: "json" | "pretty"): string {
  const path = join(dir, `${format}.log`);
  const fd = openSync(path, "w");
  try {
    const log = createLogger({ level: "info", destination: fd, format }).child({ module: "mqtt" });
    log.info({ url: "mqtt://127.0.0.1:1883" }, "connected to the MQTT broker");
    log.warn({ password: "hunter2" }, "broker refused");
  } finally {
    closeSync(fd);
  }
  return readFileSync(path, "utf8");
}

describe("logger", () => {
  it("writes JSON lines where no person reads them (journald, pipes, files)", () => {
    const devNull = openSync("/dev/null", "w");
    expect(logFormat(devNull, {})).toBe("json");
    closeSync(devNull);
    const lines = written("json").trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      level: 30,
      module: "mqtt",
      msg: "connected to the MQTT broker",
      url: "mqtt://127.0.0.1:1883",
    });
    expect(lines[1]).not.toContain("hunter2");
  });

  it("writes one readable line per event for a terminal, secrets still redacted", () => {
    // A pseudo-terminal, as `npm start` in a terminal gives the daemon's stdout.
    const terminal = openSync("/dev/ptmx", "r+");
    expect(logFormat(terminal, {})).toBe("pretty");
    closeSync(terminal);
    const lines = written("pretty").trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: \[mqtt\] connected to the MQTT broker \{"url":"mqtt:\/\/127\.0\.0\.1:1883"\}$/,
    );
    expect(lines[1]).toMatch(/WARN: \[mqtt\] broker refused/);
    expect(lines[1]).not.toContain("hunter2");
  });

  it("lets HEARTH_LOG_FORMAT choose", () => {
    const fd = openSync("/dev/null", "w");
    expect(logFormat(fd, { HEARTH_LOG_FORMAT: "pretty" })).toBe("pretty");
    expect(logFormat(fd, { HEARTH_LOG_FORMAT: "json" })).toBe("json");
    closeSync(fd);
  });
});
