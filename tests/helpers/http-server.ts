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
  /**
   * For the next `times` responses to a Range request starting at byte `from` or later (default 0),
   * end the connection after `bytes` body bytes.
   */
  cut: { bytes: number; times: number; from?: number } | null;
  /** Likewise, but send `bytes` body bytes and then nothing at all. */
  stall: { bytes: number; times: number; from?: number } | null;
  /** Path → status code answered with an empty body instead of the file. */
  status: Record<string, number>;
  /** Path → Content-Length a HEAD request is answered with, e.g. a file larger than any test disk. */
  headLength: Record<string, number>;
  /** Path → status a HEAD request alone is answered with, e.g. 405 from a server that does not answer HEAD. */
  headStatus: Record<string, number>;
}

/** One request as the server saw it. */
export interface RecordedRequest {
  method: string;
  path: string;
  range: string | undefined;
  authorization: string | undefined;
  acceptEncoding: string | undefined;
  /** Whether the server cut this response short (behaviour `cut`). */
  cut: boolean;
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
 * Starts a small HTTP file server on a random port that honours `Range: bytes=N-` and `bytes=N-M` (206, 416), answers HEAD, the way
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
    headLength: {},
    headStatus: {},
    ...behaviour,
  };
  const requests: RecordedRequest[] = [];

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const recorded: RecordedRequest = {
      method: req.method ?? "GET",
      path,
      range: req.headers.range,
      authorization: req.headers.authorization,
      acceptEncoding: req.headers["accept-encoding"],
      cut: false,
    };
    requests.push(recorded);
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
    const headStatus = state.headStatus[path];
    if (req.method === "HEAD" && headStatus !== undefined) {
      res.writeHead(headStatus, { "content-length": "0" }).end();
      return;
    }
    const claimed = state.headLength[path];
    if (req.method === "HEAD" && claimed !== undefined) {
      res.writeHead(200, { "content-length": String(claimed), "accept-ranges": "bytes" }).end();
      return;
    }
    const file = state.files[path];
    if (file === undefined) {
      res.writeHead(404, { "content-type": "text/plain" }).end("Entry not found");
      return;
    }

    let start = 0;
    let end = file.length;
    // `bytes=N-` (resume) and `bytes=N-M` (one chunk of a parallel download), as RFC 9110 §14.1.2.
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? "");
    if (range !== null && !state.ignoreRange) {
      start = Number(range[1]);
      if (range[2] !== undefined && range[2] !== "") end = Math.min(file.length, Number(range[2]) + 1);
      if (start >= file.length || end <= start) {
        res.writeHead(416, { "content-range": `bytes */${file.length}`, "content-length": "0" }).end();
        return;
      }
      res.writeHead(206, {
        "content-range": `bytes ${start}-${end - 1}/${file.length}`,
        "content-length": String(end - start),
        "accept-ranges": "bytes",
      });
    } else {
      res.writeHead(200, { "content-length": String(file.length), "accept-ranges": "bytes" });
    }
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    const body = file.subarray(start, end);

    const applies = (misbehave: { times: number; from?: number } | null): boolean =>
      misbehave !== null && misbehave.times > 0 && range !== null && start >= (misbehave.from ?? 0);
    if (state.cut !== null && applies(state.cut)) {
      state.cut.times -= 1;
      recorded.cut = true;
      // End the TCP connection after a prefix: the client sees fewer bytes than Content-Length. The
      // pause lets the client read the prefix first; a fetch body that errors drops unread chunks, and
      // the tests want the prefix to reach the client's disk.
      res.write(body.subarray(0, state.cut.bytes), () => setTimeout(() => res.socket?.end(), 200));
      return;
    }
    if (state.stall !== null && applies(state.stall)) {
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
