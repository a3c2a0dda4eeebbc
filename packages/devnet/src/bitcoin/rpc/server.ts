/**
 * An HTTP JSON-RPC server like bitcoind's: loopback, port 18443 (regtest's), HTTP basic auth, `/` and
 * `/wallet/<name>`, answers as httprpc.cpp (v28) gives them. Every call goes through the host's
 * `withBitcoin`, so the devnet serializes it with its other changes.
 *
 * @module
 */
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { answerClientErrors, createServer, readBody } from "../../server/http.js";
import type { BitcoinRpcHost } from "./registry.js";

export type { BitcoinNode, BitcoinRpcHost } from "./registry.js";

import { DEFAULT_BITCOIN_RPC_PASSWORD, DEFAULT_BITCOIN_RPC_PORT, DEFAULT_BITCOIN_RPC_USER } from "../../defaults.js";

export { DEFAULT_BITCOIN_RPC_PASSWORD, DEFAULT_BITCOIN_RPC_PORT, DEFAULT_BITCOIN_RPC_USER };
/** Largest request body: Core's MAX_SIZE (32 MiB), above which libevent answers 413. */
export const MAX_BITCOIN_RPC_BODY_BYTES = 0x02000000;
/** How long a client may take to send one request (headers and body), in ms. */
export const BITCOIN_RPC_REQUEST_TIMEOUT_MS = 30_000;
/** Core's pause before answering a wrong password (deters brute forcing). */
const WRONG_PASSWORD_DELAY_MS = 250;

/** Options of {@link startBitcoinRpcServer}. */
export interface BitcoinRpcServerOptions {
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
  /** Port (default 18443; 0 picks a free one). */
  port?: number;
  /** Basic auth user (default `devnet`). */
  user?: string;
  /** Basic auth password (default `devnet`). */
  password?: string;
}

/** A running server. */
export interface BitcoinRpcServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const WWW_AUTHENTICATE = 'Basic realm="jsonrpc"';

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Core's RPCAuthorized: `Basic base64(user:password)`. */
function authorized(header: string | undefined, expected: string): boolean {
  if (!header?.startsWith("Basic ")) return false;
  return sameText(Buffer.from(header.slice(6).trim(), "base64").toString("utf8"), expected);
}

/** The wallet a path names: undefined for `/`, the decoded name for `/wallet/<name>`, null for any other path. */
function walletFromPath(url: string | undefined): string | undefined | null {
  const path = (url ?? "/").split("?")[0];
  if (path === "/") return undefined;
  if (!path.startsWith("/wallet/")) return null;
  try {
    return decodeURIComponent(path.slice("/wallet/".length));
  } catch {
    return null;
  }
}

function answer(res: ServerResponse, status: number, body = "", headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, body ? { "content-type": "application/json", ...headers } : headers);
  res.end(body);
}

/**
 * Serves the Bitcoin RPC of a host.
 * @example
 * const server = await startBitcoinRpcServer(host, { port: 0 });
 * // curl --user devnet:devnet --data '{"method":"getblockcount"}' server.url
 * await server.close();
 */
export async function startBitcoinRpcServer(host: BitcoinRpcHost, options: BitcoinRpcServerOptions = {}): Promise<BitcoinRpcServer> {
  const bind = options.host ?? "127.0.0.1";
  const credentials = `${options.user ?? DEFAULT_BITCOIN_RPC_USER}:${options.password ?? DEFAULT_BITCOIN_RPC_PASSWORD}`;

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    req.on("error", () => res.destroy());
    const wallet = walletFromPath(req.url);
    if (wallet === null) {
      req.resume();
      return answer(res, 404);
    }
    if (req.method !== "POST") {
      req.resume();
      res.writeHead(405, { "content-type": "text/html; charset=ISO-8859-1" });
      return void res.end("JSONRPC server handles only POST requests");
    }
    const auth = req.headers.authorization;
    if (!auth || !authorized(auth, credentials)) {
      req.resume();
      const refuse = () => answer(res, 401, "", { "www-authenticate": WWW_AUTHENTICATE });
      if (!auth) return refuse();
      setTimeout(refuse, WRONG_PASSWORD_DELAY_MS);
      return;
    }
    readBody(
      req,
      MAX_BITCOIN_RPC_BODY_BYTES,
      () => answer(res, 413),
      (text) =>
        // The methods (and bitcoinjs-lib) load with the first request: a devnet starts without them.
        import("./jsonrpc.js")
          .then(({ answerBody }) => answerBody(host, text, wallet))
          .then(({ status, body }) => answer(res, status, body))
          .catch(() => answer(res, 500)),
    );
  };

  const http = createServer(
    { requestTimeout: BITCOIN_RPC_REQUEST_TIMEOUT_MS, headersTimeout: BITCOIN_RPC_REQUEST_TIMEOUT_MS, keepAliveTimeout: 30_000 },
    onRequest,
  );
  answerClientErrors(http);
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.port ?? DEFAULT_BITCOIN_RPC_PORT, bind, () => {
      http.off("error", reject);
      resolve();
    });
  });
  http.on("error", () => undefined);
  const port = (http.address() as AddressInfo).port;
  return {
    url: `http://${bind.includes(":") ? `[${bind}]` : bind}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
