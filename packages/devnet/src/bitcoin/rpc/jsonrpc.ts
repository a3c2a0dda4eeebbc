/**
 * One HTTP JSON-RPC body to one HTTP answer, as bitcoind's httprpc.cpp (v28) does it: legacy (1.0/1.1)
 * requests carry `result` and `error` (one of them null) and fail with HTTP 500 (404 for an unknown
 * method, 400 for an invalid request); JSON-RPC 2.0 requests always get HTTP 200 with `result` or
 * `error`, and notifications 204; batches always get 200.
 *
 * @module
 */
import { toPlainJson, writeJson } from "./amount.js";
import { BitcoinRpcError, RpcErrorCode, rpcError } from "./errors.js";
import { bitcoinMethodRegistry } from "./methods.js";
import type { BitcoinRpcHost } from "./registry.js";

/** Most requests in one batch (a devnet bound; Core has none). */
export const MAX_BATCH = 1000;

type JsonVersion = "1" | "2";

interface ParsedRequest {
  /** Absent (undefined) when the request has no `id` member. */
  id: unknown;
  hasId: boolean;
  version: JsonVersion;
  method: string;
  params: unknown;
}

/** An HTTP answer: status and body (empty for 204). */
export interface HttpAnswer {
  status: number;
  body: string;
}

/** Core's JSONRPCRequest::parse; throws -32600 errors with the version read so far. */
function parseRequest(value: unknown, seen: { version: JsonVersion; id: unknown; hasId: boolean }): ParsedRequest {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw rpcError("RPC_INVALID_REQUEST", "Invalid Request object");
  const request = value as Record<string, unknown>;
  seen.hasId = "id" in request;
  seen.id = request.id;
  seen.version = "1";
  const jsonrpc = request.jsonrpc;
  if (jsonrpc !== undefined && jsonrpc !== null) {
    if (typeof jsonrpc !== "string") throw rpcError("RPC_INVALID_REQUEST", "jsonrpc field must be a string");
    if (jsonrpc === "2.0") seen.version = "2";
    else if (jsonrpc !== "1.0") throw rpcError("RPC_INVALID_REQUEST", "JSON-RPC version not supported");
  }
  const method = request.method;
  if (method === undefined || method === null) throw rpcError("RPC_INVALID_REQUEST", "Missing method");
  if (typeof method !== "string") throw rpcError("RPC_INVALID_REQUEST", "Method must be a string");
  const params = request.params;
  if (params !== undefined && params !== null && typeof params !== "object")
    throw rpcError("RPC_INVALID_REQUEST", "Params must be an array or object");
  return { id: request.id, hasId: seen.hasId, version: seen.version, method, params };
}

/** Core's JSONRPCReplyObj. */
function reply(result: unknown, error: BitcoinRpcError | undefined, id: unknown, hasId: boolean, version: JsonVersion): string {
  const parts: string[] = [];
  if (version === "2") parts.push('"jsonrpc":"2.0"');
  if (error) {
    if (version === "1") parts.push('"result":null');
    parts.push(`"error":${JSON.stringify(error.toJSON())}`);
  } else {
    parts.push(`"result":${writeJson(result)}`);
    if (version === "1") parts.push('"error":null');
  }
  if (hasId) parts.push(`"id":${JSON.stringify(id ?? null)}`);
  return `{${parts.join(",")}}`;
}

/** Any failure as Core's error object: a std::exception becomes -1 with its text. */
function asRpcError(err: unknown): BitcoinRpcError {
  if (err instanceof BitcoinRpcError) return err;
  return rpcError("RPC_MISC_ERROR", err instanceof Error ? err.message : String(err));
}

async function execute(host: BitcoinRpcHost, request: ParsedRequest, walletName: string | undefined): Promise<unknown> {
  return bitcoinMethodRegistry.call(host, request.method, request.params, walletName);
}

function legacyStatus(error: BitcoinRpcError): number {
  if (error.code === RpcErrorCode.RPC_INVALID_REQUEST) return 400;
  if (error.code === RpcErrorCode.RPC_METHOD_NOT_FOUND) return 404;
  return 500;
}

/**
 * Answers a request body for the wallet named by the URI (undefined for `/`).
 * @example const { status, body } = await answerBody(host, '{"method":"getblockcount","id":1}');
 */
export async function answerBody(host: BitcoinRpcHost, text: string, walletName?: string): Promise<HttpAnswer> {
  const seen = { version: "1" as JsonVersion, id: null as unknown, hasId: true };
  try {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw rpcError("RPC_PARSE_ERROR", "Parse error");
    }
    if (Array.isArray(value)) {
      if (value.length > MAX_BATCH) throw rpcError("RPC_INVALID_REQUEST", `Batch too large: at most ${MAX_BATCH} requests (devnet limit)`);
      const replies: string[] = [];
      // Members run one after another, as in Core; errors stay inside the batch.
      for (const item of value) {
        const itemSeen = { version: "1" as JsonVersion, id: null as unknown, hasId: true };
        let answer: string;
        let notification = false;
        try {
          const request = parseRequest(item, itemSeen);
          notification = !request.hasId && request.version === "2";
          try {
            answer = reply(await execute(host, request, walletName), undefined, request.id, request.hasId, request.version);
          } catch (err) {
            answer = reply(undefined, asRpcError(err), request.id, request.hasId, request.version);
          }
        } catch (err) {
          answer = reply(undefined, asRpcError(err), itemSeen.id, itemSeen.hasId, itemSeen.version);
        }
        if (!notification) replies.push(answer);
      }
      if (replies.length === 0 && value.length > 0) return { status: 204, body: "" };
      return { status: 200, body: `[${replies.join(",")}]\n` };
    }
    if (typeof value !== "object" || value === null) throw rpcError("RPC_PARSE_ERROR", "Top-level object parse error");
    const request = parseRequest(value, seen);
    if (request.version === "2") {
      let answer: string;
      try {
        answer = reply(await execute(host, request, walletName), undefined, request.id, request.hasId, "2");
      } catch (err) {
        answer = reply(undefined, asRpcError(err), request.id, request.hasId, "2");
      }
      return request.hasId ? { status: 200, body: `${answer}\n` } : { status: 204, body: "" };
    }
    const result = await execute(host, request, walletName);
    return { status: 200, body: `${reply(result, undefined, request.id, request.hasId, "1")}\n` };
  } catch (err) {
    // Core's JSONErrorReply: HTTP errors, whatever version was read.
    const error = asRpcError(err);
    return { status: legacyStatus(error), body: `${reply(undefined, error, seen.id, seen.hasId, seen.version)}\n` };
  }
}

/**
 * Calls a method in process, with the same checks and errors as over HTTP; amounts come back as JS numbers.
 * @throws {BitcoinRpcError} with Core's code and message.
 * @example const height = await bitcoinRpcRequest(host, "getblockcount", []);
 */
export async function bitcoinRpcRequest(
  host: BitcoinRpcHost,
  method: string,
  params: unknown[] | Record<string, unknown> = [],
  walletName?: string,
): Promise<unknown> {
  try {
    return toPlainJson(await bitcoinMethodRegistry.call(host, method, params, walletName));
  } catch (err) {
    throw asRpcError(err);
  }
}
