/**
 * Hardhat 3's own request handlers for a connection: the ones its network plugin runs before a request reaches an
 * HTTP network (the configured chain id's check, gas price and gas, the sender, local and HD accounts). Running them
 * here lets an in-process devnet answer every request without a loopback round trip and still see each request as
 * Hardhat would have sent it.
 *
 * Hardhat does not export them: they are loaded from the installed Hardhat's build, by path. If that file moved (a
 * Hardhat other than the one this was written for), this gives `undefined` and requests go to the devnet over HTTP, as
 * Hardhat sends them.
 *
 * @internal
 * @module
 */

import type { NetworkConnection } from "hardhat/types/network";
import type { JsonRpcRequest, JsonRpcResponse } from "hardhat/types/providers";

/** One of Hardhat's request handlers (its internal `RequestHandler`). */
export interface RequestHandler {
  isSupportedMethod(request: JsonRpcRequest): boolean;
  handle(request: JsonRpcRequest): Promise<JsonRpcRequest | JsonRpcResponse>;
}

type CreateHandlersArray = (connection: NetworkConnection<string>) => Promise<RequestHandler[]>;

/** Where Hardhat 3.18 keeps `createHandlersArray`, relative to its main module (dist/src/index.js). */
const HANDLERS_ARRAY = "./internal/builtin-plugins/network-manager/request-handlers/handlers-array.js";

let loading: Promise<CreateHandlersArray | undefined> | undefined;

async function load(): Promise<CreateHandlersArray | undefined> {
  try {
    const module = (await import(new URL(HANDLERS_ARRAY, import.meta.resolve("hardhat")).href)) as { createHandlersArray?: unknown };
    return typeof module.createHandlersArray === "function" ? (module.createHandlersArray as CreateHandlersArray) : undefined;
  } catch {
    return undefined;
  }
}

/** Hardhat's handlers for this connection, created as its network plugin creates them; `undefined` if not found. */
export async function createRequestHandlers(connection: NetworkConnection<string>): Promise<RequestHandler[] | undefined> {
  loading ??= load();
  const create = await loading;
  return create ? await create(connection) : undefined;
}

/** Runs the handlers in order, as Hardhat does: each may change the request or answer it (then the rest are skipped). */
export async function applyRequestHandlers(
  handlers: readonly RequestHandler[],
  request: JsonRpcRequest,
): Promise<JsonRpcRequest | JsonRpcResponse> {
  let current = request;
  for (const handler of handlers) {
    if (!handler.isSupportedMethod(current)) continue;
    const next = await handler.handle(current);
    if (!("method" in next)) return next;
    current = next;
  }
  return current;
}
