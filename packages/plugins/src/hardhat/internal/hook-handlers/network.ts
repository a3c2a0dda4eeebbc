/**
 * Network hooks: `connection.bitlayer` on every connection; a network with `bitlayer: { devnet: true }` gets its own
 * devnet, started while Hardhat creates the connection and stopped after Hardhat closes it.
 *
 * Requests to an in-process devnet are answered in process, as its server would answer them, without a loopback
 * round trip (~1 ms a request, ~3 ms for a transaction through Hardhat's HTTP client). Hardhat's own request handlers
 * (the chain id's check, accounts, sender, gas and gas price) run first, as its network plugin runs them before a
 * request goes over HTTP, so that a network's `chainId`, `accounts`, `from`, `gas` and `gasPrice` apply. Where those
 * handlers cannot be loaded (see request-handlers.ts), requests go over HTTP as Hardhat sends them.
 *
 * @internal
 * @module
 */

import type { NetworkHooks } from "hardhat/types/hooks";
import type { NetworkConnection } from "hardhat/types/network";
import type { JsonRpcResponse } from "hardhat/types/providers";
import { bindHelpers } from "../../../core/index.js";
import { type StartedDevnet, stopDevnet, withConnectionScope } from "../in-process.js";
import { applyRequestHandlers, createRequestHandlers, type RequestHandler } from "../request-handlers.js";

const devnets = new WeakMap<object, StartedDevnet>();
/** Each in-process connection's Hardhat request handlers, created on its first request (undefined: not found). */
const handlersOf = new WeakMap<object, Promise<RequestHandler[] | undefined>>();

function requestHandlers(connection: NetworkConnection<string>): Promise<RequestHandler[] | undefined> {
  let handlers = handlersOf.get(connection);
  if (!handlers) {
    handlers = createRequestHandlers(connection);
    handlersOf.set(connection, handlers);
  }
  return handlers;
}

export default async (): Promise<Partial<NetworkHooks>> => ({
  async newConnection(context, next) {
    const { value: connection, started } = await withConnectionScope(() => next(context));
    if (started) devnets.set(connection, started);
    connection.bitlayer = { ...bindHelpers(connection.provider), devnet: started?.devnet };
    return connection;
  },

  async onRequest(context, connection, request, next) {
    const started = devnets.get(connection);
    const handlers = started && (await requestHandlers(connection));
    if (!started || !handlers) return await next(context, connection, request);
    const handled = await applyRequestHandlers(handlers, request);
    if (!("method" in handled)) return handled;
    return ((await started.answer(handled)) as JsonRpcResponse | undefined) ?? (await next(context, connection, handled));
  },

  async closeConnection(context, connection, next) {
    try {
      await next(context, connection);
    } finally {
      const started = devnets.get(connection);
      devnets.delete(connection);
      await stopDevnet(started);
    }
  },
});
