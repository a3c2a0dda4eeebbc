import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import type { WebSocket, WebSocketServer } from "ws";
import type { Devnet } from "../devnet/create.js";
import { openConnection } from "../rpc/context.js";
import { answerClientErrors, createServer, readBody } from "./http.js";
import { handleBody } from "./jsonrpc.js";

/** Largest request body (HTTP) or message (WebSocket) accepted. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
/**
 * Most bytes a WebSocket may have waiting to be sent (answers and notifications a client has not
 * read yet). A client past it is not reading: its socket is closed (1008) rather than buffered without end.
 */
export const MAX_WS_BUFFERED_BYTES = 16 * 1024 * 1024;
/** Close code sent to a WebSocket client that stopped reading (policy violation). */
export const WS_CLOSE_NOT_READING = 1008;

export interface ServerOptions {
  /** Interface to bind (default 127.0.0.1: loopback only). */
  host?: string;
  /** Port (default 8545; 0 picks a free one). */
  port?: number;
  /** Bytes a WebSocket may have waiting to be sent before it is closed (default MAX_WS_BUFFERED_BYTES). */
  maxBufferedBytes?: number;
}

export interface DevnetServer {
  url: string;
  wsUrl: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

const CORS_HEADERS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "POST, GET, OPTIONS",
  "access-control-allow-headers": "content-type, authorization",
  "access-control-max-age": "86400",
};

function send(res: ServerResponse, status: number, body?: unknown): void {
  sendText(res, status, body === undefined ? "" : JSON.stringify(body));
}

function sendText(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent || res.destroyed) return;
  // A length rather than chunked encoding: one write for headers and body, and less for the client to parse.
  res.writeHead(status, { ...CORS_HEADERS, "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function tooLarge(id: null = null) {
  return {
    jsonrpc: "2.0",
    id,
    error: { code: -32600, message: `request too large: the limit is ${MAX_BODY_BYTES} bytes`, data: { code: "LIMIT_EXCEEDED" } },
  };
}

/**
 * Serves a devnet over HTTP and WebSocket JSON-RPC on one port.
 * @example
 * const server = await startServer(devnet, { port: 8545 });
 * console.log(server.url); // http://127.0.0.1:8545
 */
export async function startServer(devnet: Devnet, options: ServerOptions = {}): Promise<DevnetServer> {
  const core = devnet.core;
  const host = options.host ?? "127.0.0.1";
  let closed = false;

  // While no request waits, the devnet does the work it can do ahead (core.idle): a step a turn of the event
  // loop, so a request that arrives waits for one step at most.
  let inFlight = 0;
  let idleQueued = false;
  const whenIdle = () => {
    if (idleQueued || inFlight > 0 || closed) return;
    idleQueued = true;
    setImmediate(() => {
      idleQueued = false;
      if (inFlight > 0 || closed) return;
      core.idle().then(
        (more) => {
          if (more) whenIdle();
        },
        () => undefined,
      );
    });
  };
  const answering = () => {
    inFlight++;
    return () => {
      inFlight--;
      whenIdle();
    };
  };

  const onHttp = (req: IncomingMessage, res: ServerResponse) => {
    res.once("close", answering());
    req.on("error", () => res.destroy());
    if (req.method === "OPTIONS") return send(res, 204);
    if (req.method === "GET") return send(res, 200, { name: "Bitlayer devnet (simulated)", chainId: `0x${devnet.chainId.toString(16)}` });
    if (req.method !== "POST")
      return send(res, 405, { jsonrpc: "2.0", id: null, error: { code: -32600, message: "use POST for JSON-RPC" } });
    readBody(
      req,
      MAX_BODY_BYTES,
      () => send(res, 413, tooLarge()),
      (text) =>
        // The answer is written at once, and the client's next request waits for the block being sealed.
        handleBody(core, text, { answerBeforeSealed: true })
          .then((response) => (response === undefined ? send(res, 204) : sendText(res, 200, response)))
          .catch(() => send(res, 500, { jsonrpc: "2.0", id: null, error: { code: -32603, message: "internal error" } })),
    );
  };

  const http = createServer({ keepAliveTimeout: 60_000 }, onHttp);
  answerClientErrors(http);
  const maxBuffered = options.maxBufferedBytes ?? MAX_WS_BUFFERED_BYTES;
  const onConnection = (ws: WebSocket) => {
    // Everything goes out through here, so a client that stops reading cannot make the server buffer without end.
    const sendText = (text: string) => {
      if (ws.readyState !== ws.OPEN) return;
      // One message is always let through to a socket with nothing waiting (a large trace is not a stalled client).
      if (ws.bufferedAmount > 0 && ws.bufferedAmount + Buffer.byteLength(text) > maxBuffered) {
        ws.close(WS_CLOSE_NOT_READING, `client is not reading: over ${maxBuffered} bytes waiting to be sent`);
        link.close(); // its subscriptions end now, not when the close handshake times out
        return;
      }
      ws.send(text);
    };
    const link = openConnection((subscription, result) =>
      sendText(JSON.stringify({ jsonrpc: "2.0", method: "eth_subscription", params: { subscription, result } })),
    );
    ws.on("message", (data, isBinary) => {
      const text = isBinary ? Buffer.from(data as Buffer).toString("utf8") : data.toString();
      const answered = answering();
      handleBody(core, text, { connection: link.connection })
        .then((response) => {
          if (response !== undefined) sendText(response);
        })
        .catch(() => undefined)
        .finally(answered);
    });
    ws.on("error", () => ws.terminate());
    ws.on("close", () => link.close());
  };
  // ws loads with the first WebSocket client (~10 ms of a start otherwise): the upgrade is handled here, as
  // WebSocketServer({ server }) would, once it is there.
  let wss: WebSocketServer | undefined;
  let loading: Promise<WebSocketServer> | undefined;
  const webSocketServer = async () => {
    const { WebSocketServer } = await import("ws");
    wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY_BYTES });
    wss.on("connection", onConnection);
    wss.on("error", () => undefined);
    return wss;
  };
  http.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Until ws takes the socket over (it then handles its errors).
    const onError = () => socket.destroy();
    socket.on("error", onError);
    loading ??= webSocketServer();
    loading.then(
      (server) => {
        socket.off("error", onError);
        if (closed) socket.destroy();
        else server.handleUpgrade(req, socket, head, (ws) => server.emit("connection", ws, req));
      },
      () => socket.destroy(),
    );
  });

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.port ?? 8545, host, () => {
      http.off("error", reject);
      resolve();
    });
  });
  http.on("error", () => undefined);
  const port = (http.address() as AddressInfo).port;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    wsUrl: `ws://${shownHost}:${port}`,
    host,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        closed = true;
        for (const client of wss?.clients ?? []) client.terminate();
        wss?.close();
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
