import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

/**
 * A stand-in Home Assistant: a real WebSocket server on 127.0.0.1 that speaks the WebSocket API as
 * Home Assistant documents it (https://developers.home-assistant.io/docs/api/websocket), since a
 * real Home Assistant cannot run here. Authentication phase (auth_required → auth → auth_ok |
 * auth_invalid, then the socket closes), commands with increasing ids answered by `result`
 * messages, subscriptions answered by `event` messages with the subscription's id, ping/pong,
 * unknown commands refused with `unknown_command`. The registry commands return the shapes of
 * Home Assistant's registries: `config/entity_registry/list` the partial entries (no aliases),
 * `config/entity_registry/get_entries` the extended ones. `subscribe_entities` sends the
 * compressed state format (a: added, c: changed with "+", r: removed); `call_service` answers
 * after the service ran, with its context, and changes the state it affects.
 */

export interface StandinFloor {
  floor_id: string;
  name: string;
  aliases?: string[];
  level?: number | null;
}

export interface StandinArea {
  area_id: string;
  name: string;
  aliases?: string[];
  floor_id?: string | null;
}

export interface StandinDevice {
  id: string;
  name: string | null;
  name_by_user?: string | null;
  area_id?: string | null;
  manufacturer?: string | null;
  model?: string | null;
}

/** An entity registry entry, extended (aliases, device classes) as Home Assistant stores it. */
export interface StandinEntityEntry {
  entity_id: string;
  unique_id: string;
  platform: string;
  device_id?: string | null;
  area_id?: string | null;
  name?: string | null;
  original_name?: string | null;
  has_entity_name?: boolean;
  aliases?: string[];
  device_class?: string | null;
  original_device_class?: string | null;
  entity_category?: string | null;
  disabled_by?: string | null;
  hidden_by?: string | null;
}

export interface StandinState {
  state: string;
  attributes: Record<string, unknown>;
}

export interface StandinHome {
  floors: StandinFloor[];
  areas: StandinArea[];
  devices: StandinDevice[];
  entities: StandinEntityEntry[];
  states: Record<string, StandinState>;
  /** Entity ids exposed to Assist (the `conversation` assistant). */
  exposed: string[];
}

/** A call_service as it arrived. */
export interface ServiceCallRecord {
  domain: string;
  service: string;
  service_data?: Record<string, unknown>;
  target?: { entity_id?: string | string[] };
  at: number;
}

/** What the stand-in does with a service call; mutable while it runs. */
export interface CallBehaviour {
  /** Milliseconds before the result is sent (a slow service). */
  delayMs?: number;
  /** Answer with this error instead of success. */
  error?: { code: string; message: string };
  /** Never answer (a service that hangs). */
  hang?: boolean;
}

const HA_VERSION = "2025.1.0";

interface Session {
  socket: WebSocket;
  authed: boolean;
  lastId: number;
  /** Subscription id → what it follows. */
  subs: Map<number, { kind: "events"; eventType?: string } | { kind: "entities" }>;
}

export class HaStandin {
  readonly token: string;
  home: StandinHome;
  readonly calls: ServiceCallRecord[] = [];
  /** Every command type received, in order (to check what Hearth asked for). */
  readonly commands: string[] = [];
  callBehaviour: (call: ServiceCallRecord) => CallBehaviour = () => ({});
  /** Sockets that completed authentication (counts reconnects). */
  authenticated = 0;
  /**
   * While true the open connections get no answer to anything (a host that lost power or network
   * without closing them); what arrives meanwhile is dropped, as a dead network would.
   */
  frozen = false;
  #server: WebSocketServer | undefined;
  #port = 0;
  readonly #sessions = new Set<Session>();
  readonly #waiters = new Set<() => void>();

  private constructor(token: string, home: StandinHome) {
    this.token = token;
    this.home = home;
  }

  static async start(options: { token?: string; home: StandinHome; port?: number }): Promise<HaStandin> {
    const standin = new HaStandin(options.token ?? `token-${randomUUID()}`, structuredClone(options.home));
    await standin.#listen(options.port ?? 0);
    return standin;
  }

  get port(): number {
    return this.#port;
  }

  /** The WebSocket API's address. */
  get url(): string {
    return `ws://127.0.0.1:${this.#port}/api/websocket`;
  }

  /** The base URL, as a user would copy it from the browser. */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** Authenticated sockets open now. */
  get sessions(): number {
    return [...this.#sessions].filter((s) => s.authed).length;
  }

  async #listen(port: number): Promise<void> {
    const server = new WebSocketServer({ host: "127.0.0.1", port, path: "/api/websocket" });
    await new Promise<void>((resolve, reject) => {
      server.once("listening", resolve);
      server.once("error", reject);
    });
    this.#server = server;
    this.#port = (server.address() as AddressInfo).port;
    server.on("connection", (socket) => this.#accept(socket));
  }

  #accept(socket: WebSocket): void {
    const session: Session = { socket, authed: false, lastId: 0, subs: new Map() };
    this.#sessions.add(session);
    socket.on("close", () => this.#sessions.delete(session));
    socket.on("error", () => {});
    this.#send(session, { type: "auth_required", ha_version: HA_VERSION });
    socket.on("message", (data) => {
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(String(data)) as Record<string, unknown>;
      } catch {
        socket.close(1003);
        return;
      }
      if (!session.authed) {
        // Home Assistant closes the connection on anything but a valid auth message.
        if (message.type === "auth" && message.access_token === this.token) {
          session.authed = true;
          this.authenticated++;
          this.#send(session, { type: "auth_ok", ha_version: HA_VERSION });
          this.#notify();
        } else {
          this.#send(session, { type: "auth_invalid", message: "Invalid access token or password" });
          socket.close();
        }
        return;
      }
      if (this.frozen) return;
      void this.#command(session, message);
    });
  }

  #send(session: Session, message: unknown): void {
    if (session.socket.readyState === session.socket.OPEN) session.socket.send(JSON.stringify(message));
  }

  #result(session: Session, id: number, result: unknown): void {
    this.#send(session, { id, type: "result", success: true, result });
  }

  #error(session: Session, id: number, code: string, message: string): void {
    this.#send(session, { id, type: "result", success: false, error: { code, message } });
  }

  async #command(session: Session, message: Record<string, unknown>): Promise<void> {
    const id = message.id;
    const type = String(message.type);
    if (typeof id !== "number" || !Number.isInteger(id)) {
      this.#error(session, 0, "invalid_format", "Message incorrectly formatted.");
      return;
    }
    // Ids must increase within a connection.
    if (id <= session.lastId) {
      this.#error(session, id, "id_reuse", "Identifier values have to increase.");
      return;
    }
    session.lastId = id;
    this.commands.push(type);
    const home = this.home;
    switch (type) {
      case "supported_features":
        return this.#result(session, id, null);
      case "ping":
        return this.#send(session, { id, type: "pong" });
      case "subscribe_events": {
        const eventType = typeof message.event_type === "string" ? message.event_type : undefined;
        session.subs.set(id, { kind: "events", ...(eventType ? { eventType } : {}) });
        return this.#result(session, id, null);
      }
      case "subscribe_entities": {
        session.subs.set(id, { kind: "entities" });
        this.#result(session, id, null);
        const a: Record<string, unknown> = {};
        for (const [entityId, s] of Object.entries(home.states)) a[entityId] = compressed(s);
        this.#send(session, { id, type: "event", event: { a } });
        return;
      }
      case "unsubscribe_events": {
        const sub = Number(message.subscription);
        if (!session.subs.delete(sub))
          return this.#error(session, id, "not_found", "Subscription not found.");
        return this.#result(session, id, null);
      }
      case "get_states":
        return this.#result(
          session,
          id,
          Object.entries(home.states).map(([entity_id, s]) => fullState(entity_id, s)),
        );
      case "config/floor_registry/list":
        return this.#result(
          session,
          id,
          home.floors.map((f) => ({ aliases: [], level: null, icon: null, ...f })),
        );
      case "config/area_registry/list":
        return this.#result(
          session,
          id,
          home.areas.map((a) => ({
            aliases: [],
            floor_id: null,
            icon: null,
            picture: null,
            labels: [],
            ...a,
          })),
        );
      case "config/device_registry/list":
        return this.#result(
          session,
          id,
          home.devices.map((d) => ({
            area_id: null,
            name_by_user: null,
            manufacturer: null,
            model: null,
            disabled_by: null,
            entry_type: null,
            identifiers: [],
            connections: [],
            config_entries: [],
            via_device_id: null,
            ...d,
          })),
        );
      case "config/entity_registry/list":
        return this.#result(session, id, home.entities.map(partialEntry));
      case "config/entity_registry/get_entries": {
        const ids = Array.isArray(message.entity_ids) ? (message.entity_ids as string[]) : [];
        const out: Record<string, unknown> = {};
        for (const entityId of ids) {
          const entry = home.entities.find((e) => e.entity_id === entityId);
          out[entityId] = entry ? extendedEntry(entry) : null;
        }
        return this.#result(session, id, out);
      }
      case "homeassistant/expose_entity/list": {
        const exposed: Record<string, Record<string, boolean>> = {};
        const ids = new Set([...home.entities.map((e) => e.entity_id), ...Object.keys(home.states)]);
        for (const entityId of ids) exposed[entityId] = { conversation: home.exposed.includes(entityId) };
        return this.#result(session, id, { exposed_entities: exposed });
      }
      case "call_service":
        return this.#callService(session, id, message);
      default:
        return this.#error(session, id, "unknown_command", "Unknown command.");
    }
  }

  async #callService(session: Session, id: number, message: Record<string, unknown>): Promise<void> {
    const call: ServiceCallRecord = {
      domain: String(message.domain),
      service: String(message.service),
      ...(message.service_data ? { service_data: message.service_data as Record<string, unknown> } : {}),
      ...(message.target ? { target: message.target as ServiceCallRecord["target"] } : {}),
      at: Date.now(),
    };
    this.calls.push(call);
    this.#notify();
    const behaviour = this.callBehaviour(call);
    if (behaviour.hang) return;
    if (behaviour.delayMs) await new Promise((r) => setTimeout(r, behaviour.delayMs));
    if (behaviour.error) return this.#error(session, id, behaviour.error.code, behaviour.error.message);
    if (!KNOWN_SERVICES.has(`${call.domain}.${call.service}`))
      return this.#error(session, id, "not_found", `Service ${call.domain}.${call.service} not found.`);
    const targets = call.target?.entity_id;
    for (const entityId of Array.isArray(targets) ? targets : targets ? [targets] : []) {
      const next = effect(call, this.home.states[entityId]);
      if (next) this.setState(entityId, next.state, next.attributes);
    }
    this.#result(session, id, {
      context: { id: randomUUID(), parent_id: null, user_id: null },
      response: null,
    });
  }

  /** Changes a state and tells every subscriber, as Home Assistant does after a device reports. */
  setState(entityId: string, state: string, attributes?: Record<string, unknown>): void {
    const old = this.home.states[entityId];
    const next: StandinState = { state, attributes: { ...(old?.attributes ?? {}), ...(attributes ?? {}) } };
    this.home.states[entityId] = next;
    const lc = Date.now() / 1000;
    for (const session of this.#sessions) {
      for (const [subId, sub] of session.subs) {
        if (sub.kind === "entities") {
          const event = old
            ? { c: { [entityId]: { "+": { s: state, a: attributes ?? {}, lc } } } }
            : { a: { [entityId]: compressed(next) } };
          this.#send(session, { id: subId, type: "event", event });
        } else if (sub.eventType === undefined || sub.eventType === "state_changed") {
          this.#send(session, {
            id: subId,
            type: "event",
            event: {
              event_type: "state_changed",
              data: {
                entity_id: entityId,
                old_state: old ? fullState(entityId, old) : null,
                new_state: fullState(entityId, next),
              },
              origin: "LOCAL",
              time_fired: new Date().toISOString(),
              context: { id: randomUUID(), parent_id: null, user_id: null },
            },
          });
        }
      }
    }
  }

  /** Fires a bus event to the sessions subscribed to it. */
  fireEvent(eventType: string, data: Record<string, unknown>): void {
    for (const session of this.#sessions) {
      for (const [subId, sub] of session.subs) {
        if (sub.kind !== "events" || (sub.eventType !== undefined && sub.eventType !== eventType)) continue;
        this.#send(session, {
          id: subId,
          type: "event",
          event: {
            event_type: eventType,
            data,
            origin: "LOCAL",
            time_fired: new Date().toISOString(),
            context: { id: randomUUID(), parent_id: null, user_id: null },
          },
        });
      }
    }
  }

  /** Edits an entity registry entry as the user would in Home Assistant's UI, and announces it. */
  updateEntity(entityId: string, changes: Partial<StandinEntityEntry>): void {
    const entry = this.home.entities.find((e) => e.entity_id === entityId);
    if (!entry) throw new Error(`no entity ${entityId}`);
    Object.assign(entry, changes);
    this.fireEvent("entity_registry_updated", { action: "update", entity_id: entityId, changes });
  }

  /** Exposes or hides an entity from Assist (stored in the entity registry's options). */
  setExposed(entityId: string, exposed: boolean): void {
    this.home.exposed = exposed
      ? [...new Set([...this.home.exposed, entityId])]
      : this.home.exposed.filter((id) => id !== entityId);
    this.fireEvent("entity_registry_updated", {
      action: "update",
      entity_id: entityId,
      changes: { options: {} },
    });
  }

  /** Adds an entity (registry entry and state), as a new integration device would. */
  addEntity(entry: StandinEntityEntry, state: StandinState, exposed = true): void {
    this.home.entities.push(entry);
    if (exposed) this.home.exposed.push(entry.entity_id);
    this.setState(entry.entity_id, state.state, state.attributes);
    this.fireEvent("entity_registry_updated", { action: "create", entity_id: entry.entity_id });
  }

  /**
   * Resolves once `check` holds (checked on every call and authentication, and every 20 ms), however
   * long that takes: the test's timeout is the limit for a hang.
   */
  async waitFor(check: () => boolean): Promise<void> {
    while (!check()) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.#waiters.delete(done);
          clearTimeout(t);
          resolve();
        };
        const t = setTimeout(done, 20);
        this.#waiters.add(done);
      });
    }
  }

  #notify(): void {
    for (const w of [...this.#waiters]) w();
  }

  /** Drops every connection and stops listening (Home Assistant shutting down). */
  async down(): Promise<void> {
    for (const s of this.#sessions) s.socket.terminate();
    this.#sessions.clear();
    const server = this.#server;
    this.#server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Listens again on the same port (Home Assistant back after a restart). */
  async up(): Promise<void> {
    await this.#listen(this.#port);
  }

  async stop(): Promise<void> {
    await this.down();
  }
}

/** The services the stand-in's home has (an unknown one is refused with not_found, as HA does). */
const KNOWN_SERVICES: ReadonlySet<string> = new Set([
  "homeassistant.turn_on",
  "homeassistant.turn_off",
  "homeassistant.toggle",
  "light.turn_on",
  "light.turn_off",
  "light.toggle",
  "switch.turn_on",
  "switch.turn_off",
  "switch.toggle",
  "cover.open_cover",
  "cover.close_cover",
  "cover.set_cover_position",
  "cover.toggle",
  "lock.lock",
  "lock.unlock",
  "climate.set_temperature",
  "climate.turn_on",
  "climate.turn_off",
  "media_player.media_pause",
  "media_player.media_play",
  "media_player.media_next_track",
  "media_player.media_previous_track",
  "media_player.volume_set",
  "media_player.volume_up",
  "media_player.volume_down",
  "media_player.volume_mute",
  "lawn_mower.start_mowing",
  "lawn_mower.dock",
  "media_player.turn_on",
  "media_player.turn_off",
  "vacuum.start",
  "vacuum.return_to_base",
  "scene.turn_on",
  "script.turn_on",
  "todo.add_item",
  "fan.turn_on",
  "fan.turn_off",
]);

/** The state a service leaves an entity in (enough for the stand-in's home). */
function effect(call: ServiceCallRecord, old: StandinState | undefined): StandinState | undefined {
  if (!old) return undefined;
  const s = `${call.domain}.${call.service}`;
  const data = call.service_data ?? {};
  switch (s) {
    case "light.turn_on": {
      const attributes: Record<string, unknown> = {};
      if (typeof data.brightness_pct === "number")
        attributes.brightness = Math.round((data.brightness_pct * 255) / 100);
      return { state: "on", attributes };
    }
    case "light.turn_off":
    case "switch.turn_off":
    case "homeassistant.turn_off":
      return { state: "off", attributes: {} };
    case "switch.turn_on":
    case "homeassistant.turn_on":
      return { state: "on", attributes: {} };
    case "cover.open_cover":
      return { state: "open", attributes: { current_position: 100 } };
    case "cover.close_cover":
      return { state: "closed", attributes: { current_position: 0 } };
    case "cover.set_cover_position":
      return {
        state: data.position === 0 ? "closed" : "open",
        attributes: { current_position: data.position },
      };
    case "media_player.volume_set":
      return { state: old.state, attributes: { volume_level: data.volume_level } };
    case "media_player.volume_up":
    case "media_player.volume_down": {
      // Home Assistant's own step for a player that names none: a tenth, within 0–1.
      const level = typeof old.attributes.volume_level === "number" ? old.attributes.volume_level : 0;
      const next = level + (call.service === "volume_up" ? 0.1 : -0.1);
      return {
        state: old.state,
        attributes: { volume_level: Math.round(Math.min(1, Math.max(0, next)) * 100) / 100 },
      };
    }
    case "media_player.volume_mute":
      return { state: old.state, attributes: { is_volume_muted: data.is_volume_muted } };
    case "lawn_mower.start_mowing":
      return { state: "mowing", attributes: {} };
    case "lawn_mower.dock":
      return { state: "docked", attributes: {} };
    case "lock.lock":
      return { state: "locked", attributes: {} };
    case "lock.unlock":
      return { state: "unlocked", attributes: {} };
    default:
      return undefined;
  }
}

function compressed(s: StandinState): Record<string, unknown> {
  return { s: s.state, a: s.attributes, c: randomUUID(), lc: Date.now() / 1000 };
}

function fullState(entityId: string, s: StandinState): Record<string, unknown> {
  const now = new Date().toISOString();
  return {
    entity_id: entityId,
    state: s.state,
    attributes: s.attributes,
    last_changed: now,
    last_updated: now,
    context: { id: randomUUID(), parent_id: null, user_id: null },
  };
}

/** config/entity_registry/list: the partial entry (no aliases, no device classes). */
function partialEntry(e: StandinEntityEntry): Record<string, unknown> {
  return {
    area_id: e.area_id ?? null,
    categories: {},
    config_entry_id: null,
    device_id: e.device_id ?? null,
    disabled_by: e.disabled_by ?? null,
    entity_category: e.entity_category ?? null,
    entity_id: e.entity_id,
    has_entity_name: e.has_entity_name ?? false,
    hidden_by: e.hidden_by ?? null,
    icon: null,
    id: `reg-${e.unique_id}`,
    labels: [],
    name: e.name ?? null,
    options: {},
    original_name: e.original_name ?? null,
    platform: e.platform,
    translation_key: null,
    unique_id: e.unique_id,
  };
}

/** config/entity_registry/get_entries: the extended entry. */
function extendedEntry(e: StandinEntityEntry): Record<string, unknown> {
  return {
    ...partialEntry(e),
    aliases: e.aliases ?? [],
    capabilities: null,
    device_class: e.device_class ?? null,
    original_device_class: e.original_device_class ?? null,
    original_icon: null,
  };
}
