import type { DevnetCore } from "../devnet/core.js";
import { DevnetError } from "../errors.js";
import type { Connection } from "../rpc/context.js";
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

async function handleOne(core: DevnetCore, request: unknown, connection?: Connection): Promise<JsonRpcResponse | undefined> {
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
    const result = await core.request(method, params, connection);
    return isNotification ? undefined : { jsonrpc: "2.0", id: replyId, result: result === undefined ? null : result };
  } catch (error) {
    return isNotification ? undefined : errorResponse(replyId, toDevnetError(error));
  }
}

/** Answers a request body (one call or a batch). `undefined` means nothing to send back (notifications only). */
export async function handleBody(
  core: DevnetCore,
  body: string,
  connection?: Connection,
): Promise<JsonRpcResponse | JsonRpcResponse[] | undefined> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return errorResponse(null, new DevnetError("PARSE_ERROR", "parse error: the request body is not valid JSON"));
  }
  if (!Array.isArray(parsed)) return handleOne(core, parsed, connection);
  if (parsed.length === 0) return errorResponse(null, new DevnetError("INVALID_REQUEST", "invalid request: empty batch"));
  if (parsed.length > MAX_BATCH) {
    return errorResponse(
      null,
      new DevnetError("LIMIT_EXCEEDED", `batch too large: ${parsed.length} requests, at most ${MAX_BATCH}`, { rpcCode: -32600 }),
    );
  }
  const responses = await Promise.all(parsed.map((r) => handleOne(core, r, connection)));
  const answered = responses.filter((r): r is JsonRpcResponse => r !== undefined);
  return answered.length > 0 ? answered : undefined;
}
