import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What a test server does; mutable between requests so a test can change behaviour mid-way. */
export interface FileServerBehaviour {
  /** Path → file content. */
  files: Record<string, Buffer>;
  /** Path → redirect target (absolute URL or path), answered with 302. */
  redirects: Record<string, string>;
  /** Answer Range requests with the whole file and 200, as some servers and proxies do. */
  ignoreRange: boolean;
  /** For the next `times` file responses, end the connection after `bytes` body bytes. */
  cut: { bytes: number; times: number } | null;
  /** For the next `times` file responses, send `bytes` body bytes and then nothing at all. */
  stall: { bytes: number; times: number } | null;
  /** Path → status code answered with an empty body instead of the file. */
  status: Record<string, number>;
}

/** One request as the server saw it. */
export interface RecordedRequest {
  method: string;
  path: string;
  range: string | undefined;
  authorization: string | undefined;
  acceptEncoding: string | undefined;
}

/** A running test server on 127.0.0.1. */
export interface TestFileServer {
  /** Origin, e.g. `http://127.0.0.1:41234`. */
  readonly origin: string;
  readonly behaviour: FileServerBehaviour;
  readonly requests: RecordedRequest[];
  /** Absolute URL of a path on this server. */
  url(path: string): string;
  close(): Promise<void>;
}

/**
 * Starts a small HTTP file server on a random port that honours `Range: bytes=N-` (206, 416) the way
 * Hugging Face's CDN does, and can misbehave on demand: cut or stall a response mid-body, ignore
 * ranges, redirect, or answer with an error status.
 */
export async function startFileServer(behaviour: Partial<FileServerBehaviour> = {}): Promise<TestFileServer> {
  const state: FileServerBehaviour = {
    files: {},
    redirects: {},
    ignoreRange: false,
    cut: null,
    stall: null,
    status: {},
    ...behaviour,
  };
  const requests: RecordedRequest[] = [];

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    requests.push({
      method: req.method ?? "GET",
      path,
      range: req.headers.range,
      authorization: req.headers.authorization,
      acceptEncoding: req.headers["accept-encoding"],
    });
    const redirect = state.redirects[path];
    if (redirect !== undefined) {
      res.writeHead(302, { location: redirect, "content-length": "0" }).end();
      return;
    }
    const forced = state.status[path];
    if (forced !== undefined) {
      res.writeHead(forced, { "content-length": "0" }).end();
      return;
    }
    const file = state.files[path];
    if (file === undefined) {
      res.writeHead(404, { "content-type": "text/plain" }).end("Entry not found");
      return;
    }

    let start = 0;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
    if (range !== null && !state.ignoreRange) {
      start = Number(range[1]);
      if (start >= file.length) {
        res.writeHead(416, { "content-range": `bytes */${file.length}`, "content-length": "0" }).end();
        return;
      }
      res.writeHead(206, {
        "content-range": `bytes ${start}-${file.length - 1}/${file.length}`,
        "content-length": String(file.length - start),
        "accept-ranges": "bytes",
      });
    } else {
      res.writeHead(200, { "content-length": String(file.length), "accept-ranges": "bytes" });
    }
    const body = file.subarray(start);

    if (state.cut !== null && state.cut.times > 0) {
      state.cut.times -= 1;
      // End the TCP connection after a prefix: the client sees fewer bytes than Content-Length. The
      // pause lets the client read the prefix first; a fetch body that errors drops unread chunks, and
      // the tests want the prefix to reach the client's disk.
      res.write(body.subarray(0, state.cut.bytes), () => setTimeout(() => res.socket?.end(), 200));
      return;
    }
    if (state.stall !== null && state.stall.times > 0) {
      state.stall.times -= 1;
      res.write(body.subarray(0, state.stall.bytes));
      return;
    }
    res.end(body);
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    behaviour: state,
    requests,
    url: (path) => `${origin}${path}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err === undefined ? resolve() : reject(err)));
      }),
  };
}
