import type { IncomingMessage, RequestListener, Server, ServerOptions } from "node:http";
import { createRequire } from "node:module";
import { httpDate } from "./http-date.js";

// Node 22 builds the ES-module view of node:http by reading every export, its lazy WebSocket among them, which
// loads undici: ~100–180 ms of a devnet's start. The CommonJS module is the same code without that.
const http = createRequire(import.meta.url)("node:http") as typeof import("node:http");

/** node:http's createServer, loaded without undici (see above); answers carry a Date header made by http-date.ts. */
export function createServer(options: ServerOptions, listener: RequestListener): Server {
  return http.createServer(options, (req, res) => {
    res.sendDate = false;
    res.setHeader("Date", httpDate());
    listener(req, res);
  });
}

/**
 * Reads a request body of at most `max` bytes, judged first by its declared length, then as it
 * arrives. Past it `tooLarge` runs once and the request is dropped; otherwise `done` gets the text.
 */
export function readBody(req: IncomingMessage, max: number, tooLarge: () => void, done: (text: string) => void): void {
  if (Number(req.headers["content-length"] ?? 0) > max) {
    tooLarge();
    req.destroy();
    return;
  }
  let chunks: Buffer[] | undefined = [];
  let size = 0;
  req.on("data", (chunk: Buffer) => {
    if (!chunks) return; // refused already: chunks read before destroy() may still arrive
    size += chunk.length;
    if (size > max) {
      chunks = undefined;
      tooLarge();
      req.destroy();
      return;
    }
    chunks.push(chunk);
  });
  req.on("end", () => {
    if (chunks) done(Buffer.concat(chunks).toString("utf8"));
  });
}

/** A malformed HTTP request still gets an answer (400), then the connection closes. */
export function answerClientErrors(http: Server): void {
  http.on("clientError", (_err, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    else socket.destroy();
  });
}
