// A small stand-in Home Assistant for the benchmark (bench/ cannot import the TypeScript one in
// tests/helpers/ha-standin.ts): the WebSocket API's authentication phase, the registry list
// commands, subscribe_entities, subscribe_events and call_service, with the documented shapes.
import { WebSocketServer } from "ws";

/**
 * Starts it on 127.0.0.1 with `home` ({areas, entities: [{entity_id, name, area_id}], states}).
 * `onCall(message, at)` is told of every call_service as it arrives (performance.now()).
 */
export async function startStandin({ token, home, onCall }) {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0, path: "/api/websocket" });
  await new Promise((resolve) => server.once("listening", resolve));
  server.on("connection", (socket) => {
    let authed = false;
    const send = (m) => socket.send(JSON.stringify(m));
    const result = (id, r) => send({ id, type: "result", success: true, result: r });
    send({ type: "auth_required", ha_version: "2025.1.0" });
    socket.on("message", (data) => {
      const m = JSON.parse(String(data));
      if (!authed) {
        if (m.type === "auth" && m.access_token === token) {
          authed = true;
          send({ type: "auth_ok", ha_version: "2025.1.0" });
        } else {
          send({ type: "auth_invalid", message: "Invalid access token or password" });
          socket.close();
        }
        return;
      }
      switch (m.type) {
        case "call_service":
          onCall?.(m, performance.now());
          return result(m.id, {
            context: { id: String(m.id), parent_id: null, user_id: null },
            response: null,
          });
        case "subscribe_entities": {
          result(m.id, null);
          const a = {};
          for (const [id, s] of Object.entries(home.states))
            a[id] = { s: s.state, a: s.attributes, c: "x", lc: 0 };
          return send({ id: m.id, type: "event", event: { a } });
        }
        case "config/floor_registry/list":
          return result(m.id, []);
        case "config/area_registry/list":
          return result(
            m.id,
            home.areas.map((a) => ({ aliases: [], floor_id: null, ...a })),
          );
        case "config/device_registry/list":
          return result(m.id, []);
        case "config/entity_registry/list":
          return result(
            m.id,
            home.entities.map((e) => ({
              platform: "bench",
              unique_id: e.entity_id,
              has_entity_name: false,
              ...e,
            })),
          );
        case "config/entity_registry/get_entries":
          return result(
            m.id,
            Object.fromEntries(m.entity_ids.map((id) => [id, { entity_id: id, aliases: [] }])),
          );
        case "homeassistant/expose_entity/list":
          return result(m.id, {
            exposed_entities: Object.fromEntries(
              home.entities.map((e) => [e.entity_id, { conversation: true }]),
            ),
          });
        case "ping":
          return send({ id: m.id, type: "pong" });
        default:
          // supported_features, subscribe_events, unsubscribe_events
          return result(m.id, null);
      }
    });
  });
  const { port } = server.address();
  return {
    url: `ws://127.0.0.1:${port}/api/websocket`,
    stop: () =>
      new Promise((resolve) => {
        for (const c of server.clients) c.terminate();
        server.close(() => resolve());
      }),
  };
}
