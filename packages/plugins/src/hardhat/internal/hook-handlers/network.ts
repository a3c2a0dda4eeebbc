/**
 * Network hooks: `connection.bitlayer` on every connection; a network with `bitlayer: { devnet: true }` gets its own
 * devnet, started while Hardhat creates the connection and stopped after Hardhat closes it.
 *
 * Its requests still reach the devnet's HTTP server on 127.0.0.1 when Hardhat's own request handlers may change them
 * (accounts, sender, gas: see {@link TRANSFORMED_BY_HARDHAT}); every other request is answered in process, as the
 * server would answer it, without a loopback round trip (~1 ms a request).
 *
 * @internal
 * @module
 */

import type { NetworkHooks } from "hardhat/types/hooks";
import type { JsonRpcRequest, JsonRpcResponse } from "hardhat/types/providers";
import { bindHelpers } from "../../../core/index.js";
import { type StartedDevnet, stopDevnet, withConnectionScope } from "../in-process.js";

const devnets = new WeakMap<object, StartedDevnet>();
/** Connections that passed Hardhat's chain-id check (it runs on the first request other than eth_chainId/net_version). */
const checked = new WeakSet<object>();

/**
 * The methods Hardhat 3's built-in request handlers rewrite or answer (local and HD accounts, the sender, gas and gas
 * price): these go through them, and over HTTP, so that a network's `accounts`, `from`, `gas` and `gasPrice` apply.
 * Its sender handler changes eth_call and eth_estimateGas only when they name no `from`.
 */
const TRANSFORMED_BY_HARDHAT: ReadonlySet<string> = new Set([
  "eth_accounts",
  "eth_requestAccounts",
  "eth_sendTransaction",
  "eth_call",
  "eth_estimateGas",
  "eth_sign",
  "personal_sign",
  "eth_signTypedData_v4",
]);

/** Whether Hardhat's handlers may change the request: eth_call and eth_estimateGas only when they name no sender. */
function transformedByHardhat(request: JsonRpcRequest): boolean {
  if (!TRANSFORMED_BY_HARDHAT.has(request.method)) return false;
  if (request.method !== "eth_call" && request.method !== "eth_estimateGas") return true;
  const [tx] = Array.isArray(request.params) ? request.params : [];
  return typeof tx !== "object" || tx === null || (tx as { from?: unknown }).from === undefined;
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
    if (started && checked.has(connection) && !transformedByHardhat(request)) {
      const response = await started.answer(request);
      if (response) return response as JsonRpcResponse;
    }
    const response = await next(context, connection, request);
    // The chain-id check skips these two (and asks eth_chainId itself): only another method proves it passed.
    if (started && request.method !== "eth_chainId" && request.method !== "net_version") checked.add(connection);
    return response;
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
