export interface MosquittoOptions {
  /** user → password; when given, anonymous clients are refused. */
  users?: Record<string, string>;
  /** Adds a TLS listener (self-signed CA and a certificate for 127.0.0.1 / localhost). */
  tls?: boolean;
  /**
   * Sends small packets at once (`set_tcp_nodelay`): without it they may wait on Nagle's algorithm
   * (about 40 ms at times), which would swamp a latency measurement such as the soak's.
   */
  tcpNoDelay?: boolean;
  /** Keeps sessions and retained messages across a graceful restart (saved on stop, and every second). */
  persistence?: boolean;
}
export interface Mosquitto {
  /** Plain listener. */
  port: number;
  url: string;
  /** TLS listener, when requested. */
  tlsPort?: number;
  tlsUrl?: string;
  /** The CA certificate (PEM) that signed the broker's certificate. */
  caPem?: Buffer;
  caFile?: string;
  /** Starts it again after stop() or kill(), on the same ports. */
  start(): Promise<void>;
  /** Stops it gracefully (SIGTERM) and waits for the process to end. */
  stop(): Promise<void>;
  /** Kills it abruptly (SIGKILL): clients see the connection drop without a DISCONNECT. */
  kill(): Promise<void>;
  /** Stops it and removes its files. */
  dispose(): Promise<void>;
  /** What it wrote to stderr (its log), for failure messages. */
  log(): string;
}
/** A TCP port that was free a moment ago. */
export declare function freePort(): Promise<number>;
/** Starts a Mosquitto for a test; call dispose() in afterAll. */
export declare function startMosquitto(options?: MosquittoOptions): Promise<Mosquitto>;
