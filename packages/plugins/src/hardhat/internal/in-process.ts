/**
 * The in-process devnet of a network with `bitlayer: { devnet: true }`. Its resolved `url` is a lazy value: the
 * provider's creation (inside `network.create()`, under the plugin's `newConnection` handler) asks for the URL, which
 * starts a devnet and its JSON-RPC server on 127.0.0.1 (port 0) for that one connection. Hardhat's HTTP provider and
 * all its request handlers (chain id, local accounts, gas) then work unchanged.
 *
 * @internal
 * @module
 */

import { AsyncLocalStorage } from "node:async_hooks";
import type { Devnet, DevnetOptions, DevnetServer, JsonRpcResponse } from "@bitlayer/devnet";
import type { ResolvedConfigurationVariable } from "hardhat/types/config";
import { loadEngine } from "../../common/load-engine.js";

/** A devnet started for one connection. */
export interface StartedDevnet {
  devnet: Devnet;
  server: DevnetServer;
  /** One JSON-RPC request answered in process, as the server answers it (the devnet's answerRequest). */
  answer(request: unknown): Promise<JsonRpcResponse | undefined>;
}

/** What `newConnection` shares with the URL of the network being connected. */
interface ConnectionScope {
  started?: Promise<StartedDevnet>;
}

const scope = new AsyncLocalStorage<ConnectionScope>();
/** Connection creations in progress: the scope is disabled when none is. */
let creating = 0;

/**
 * Runs `fn` (Hardhat's connection creation) so that an in-process network started inside it is handed back.
 *
 * An enabled AsyncLocalStorage (Node 22) hooks every promise the process makes, about doubling the cost of an `await`,
 * and the devnet and Hardhat await at every step: the scope is disabled again once no connection is being created.
 */
export async function withConnectionScope<T>(fn: () => Promise<T>): Promise<{ value: T; started: StartedDevnet | undefined }> {
  const store: ConnectionScope = {};
  creating++;
  try {
    const value = await scope.run(store, fn).finally(() => {
      if (--creating === 0) scope.disable();
    });
    return { value, started: store.started ? await store.started : undefined };
  } catch (error) {
    if (store.started) await stopDevnet(await store.started.catch(() => undefined));
    throw error;
  }
}

async function startDevnet(options: DevnetOptions): Promise<StartedDevnet> {
  const { answerRequest, createDevnet, startServer } = await loadEngine();
  const devnet = await createDevnet(options);
  try {
    const server = await startServer(devnet, { host: "127.0.0.1", port: 0 });
    return { devnet, server, answer: (request) => answerRequest(devnet, request) };
  } catch (error) {
    await devnet.close();
    throw error;
  }
}

/** Stops a connection's devnet: its server, then the devnet. */
export async function stopDevnet(started: StartedDevnet | undefined): Promise<void> {
  if (!started) return;
  try {
    await started.server.close();
  } finally {
    await started.devnet.close();
  }
}

/** The resolved `url` of an in-process network: starts the devnet when Hardhat creates the connection's provider. */
export function inProcessUrl(networkName: string, options: DevnetOptions): ResolvedConfigurationVariable {
  const format = `<in-process Bitlayer devnet of network "${networkName}">`;
  const get = async (): Promise<string> => {
    const store = scope.getStore();
    if (!store) {
      throw new Error(
        `The network "${networkName}" runs a Bitlayer devnet in process (bitlayer: { devnet: true }): it has a URL only ` +
          "inside a connection (network.create()); give it a `url` instead to use a devnet that runs on its own.",
      );
    }
    store.started ??= startDevnet(options);
    return (await store.started).server.url;
  };
  return {
    _type: "ResolvedConfigurationVariable",
    format,
    get,
    getUrl: get,
    async getBigInt() {
      throw new Error(`${format} is a URL, not a number`);
    },
    async getHexString() {
      throw new Error(`${format} is a URL, not a hex string`);
    },
  };
}
