import type { DevnetCore } from "../devnet/core.js";
import type { Devnet } from "../devnet/create.js";
import { DevnetError } from "../errors.js";
import type { RequestSource } from "../rpc/context.js";
import { toDevnetError } from "../rpc/provider.js";

/** Most requests one batch may carry (as geth). */
export const MAX_BATCH = 1000;

type Id = string | number | null;

export interface JsonRpcResponse {
  jsonrpc: "2.0";
  id: Id;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

function errorResponse(id: Id, error: DevnetError): JsonRpcResponse {
  // Revert data travels as `data` (what ethers and viem decode); a failed transaction's as Hardhat's
  // node sends it ({ message, txHash, data }); other errors carry the devnet's code.
  const data =
    error.code === "EXECUTION_REVERTED"
      ? error.data
      : error.code === "TRANSACTION_FAILED"
        ? { code: error.code, ...(error.data as object) }
        : { code: error.code, ...(error.data === undefined ? {} : { details: error.data }) };
  return { jsonrpc: "2.0", id, error: { code: error.rpcCode, message: error.message, data } };
}

function validId(id: unknown): id is Id {
  return id === null || typeof id === "string" || (typeof id === "number" && Number.isFinite(id));
}

async function handleOne(core: DevnetCore, request: unknown, source?: RequestSource): Promise<JsonRpcResponse | undefined> {
  if (typeof request !== "object" || request === null || Array.isArray(request)) {
    return errorResponse(null, new DevnetError("INVALID_REQUEST", "invalid request: expected a JSON-RPC object"));
  }
  const { id, method, params, jsonrpc } = request as Record<string, unknown>;
  const isNotification = !("id" in request);
  const replyId: Id = validId(id) ? id : null;
  if ((jsonrpc !== undefined && jsonrpc !== "2.0") || typeof method !== "string" || (!isNotification && !validId(id))) {
    return errorResponse(
      replyId,
      new DevnetError("INVALID_REQUEST", 'invalid request: expected { "jsonrpc": "2.0", "id", "method": string, "params"?: array }'),
    );
  }
  try {
    const result = await core.request(method, params, source);
    return isNotification ? undefined : { jsonrpc: "2.0", id: replyId, result: result === undefined ? null : result };
  } catch (error) {
    return isNotification ? undefined : errorResponse(replyId, toDevnetError(error));
  }
}

/**
 * One JSON-RPC request object answered in process, exactly as the HTTP server answers it (result, error code,
 * message and data), and as a fresh object, as if it had crossed the wire: for hosts that hold the devnet in their
 * own process and would otherwise pay a loopback HTTP round trip (~1 ms) per request. Undefined for a notification;
 * a batch (an array) is not one request and gets the invalid-request error.
 * @example
 * const response = await answerRequest(devnet, { jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] });
 * response?.result; // "0x0"
 */
export async function answerRequest(devnet: Devnet, request: unknown): Promise<JsonRpcResponse | undefined> {
  const response = await handleOne(devnet.core, request);
  return response === undefined ? undefined : (JSON.parse(serialize(response)) as JsonRpcResponse);
}

/**
 * Most bytes of answers one batch collects (geth's BatchResponseMaxSize, 25 MB): the members
 * answered past it get "response too large" instead, so a batch of large answers (1 000 times
 * eth_getCode of a 4 MiB contract) cannot exhaust the heap.
 */
export const MAX_BATCH_RESPONSE_BYTES = 25_000_000;

/** geth's answer for a response past its bound (errcodeResponseTooLarge). */
function responseTooLarge(id: Id, detail: string): string {
  return JSON.stringify(
    errorResponse(id, new DevnetError("LIMIT_EXCEEDED", `response too large: ${detail}`, { rpcCode: RESPONSE_TOO_LARGE })),
  );
}

const RESPONSE_TOO_LARGE = -32003;

/** One answer as JSON text; an answer past what a string can hold is refused with its id, not a 500. */
function serialize(response: JsonRpcResponse): string {
  try {
    return JSON.stringify(response);
  } catch {
    return responseTooLarge(response.id, "the answer does not fit in one JSON string");
  }
}

/**
 * Answers a request body (one call or a batch) as JSON text. `undefined` means nothing to send
 * back (notifications only).
 */
export async function handleBody(core: DevnetCore, body: string, source?: RequestSource): Promise<string | undefined> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return JSON.stringify(errorResponse(null, new DevnetError("PARSE_ERROR", "parse error: the request body is not valid JSON")));
  }
  if (!Array.isArray(parsed)) {
    const response = await handleOne(core, parsed, source);
    return response && serialize(response);
  }
  if (parsed.length === 0) return JSON.stringify(errorResponse(null, new DevnetError("INVALID_REQUEST", "invalid request: empty batch")));
  if (parsed.length > MAX_BATCH) {
    return JSON.stringify(
      errorResponse(
        null,
        new DevnetError("LIMIT_EXCEEDED", `batch too large: ${parsed.length} requests, at most ${MAX_BATCH}`, { rpcCode: -32600 }),
      ),
    );
  }
  // Members run together (a batch of transactions shares a block); each answer is serialized as it
  // arrives and counted, so what the batch holds never grows past the bound.
  let used = 0;
  const texts = await Promise.all(
    parsed.map(async (request) => {
      const response = await handleOne(core, request, source);
      if (response === undefined) return undefined;
      const text = serialize(response);
      if (used + text.length > MAX_BATCH_RESPONSE_BYTES) {
        return responseTooLarge(response.id, `the batch's answers pass MAX_BATCH_RESPONSE_BYTES (${MAX_BATCH_RESPONSE_BYTES} bytes)`);
      }
      used += text.length;
      return text;
    }),
  );
  const answered = texts.filter((t): t is string => t !== undefined);
  return answered.length > 0 ? `[${answered.join(",")}]` : undefined;
}
