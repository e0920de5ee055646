// Prints the addresses of the MQTT broker and Home Assistant named in a Hearth config that lie
// outside the ranges systemd/hearth.service already allows (loopback, link-local, private), space
// separated, for install-service.sh to add as IPAddressAllow=. Host names are resolved now, at
// install time (the service itself may not look anything up). Prints nothing for a missing config.
// Usage: node scripts/network-allow.mjs /etc/hearth/hearth.yaml
import { lookup } from "node:dns/promises";
import { readFile } from "node:fs/promises";
import { BlockList, isIP } from "node:net";
import { parse } from "yaml";

const file = process.argv[2];
let doc;
try {
  doc = parse(await readFile(file, "utf8")) ?? {};
} catch {
  process.exit(0);
}

const unitAllows = new BlockList();
for (const [net, bits] of [
  ["127.0.0.0", 8],
  ["10.0.0.0", 8],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
  ["169.254.0.0", 16],
]) {
  unitAllows.addSubnet(net, bits, "ipv4");
}
for (const [net, bits] of [
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
]) {
  unitAllows.addSubnet(net, bits, "ipv6");
}

const urls = [doc?.mqtt?.url, doc?.homeassistant?.url].filter((u) => typeof u === "string");
const out = new Set();
for (const url of urls) {
  let host;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  } catch {
    continue;
  }
  let addresses;
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch (err) {
    process.stderr.write(
      `cannot resolve ${host} (${err.code ?? err.message}); if it is outside the local network, allow it with a drop-in (IPAddressAllow=)\n`,
    );
    continue;
  }
  for (const address of addresses) {
    const family = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (!unitAllows.check(address, family)) out.add(address);
  }
}
if (out.size > 0) process.stdout.write(`${[...out].join(" ")}\n`);
