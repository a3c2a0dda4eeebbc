import type { BitcoinRpcServer, BitcoinRpcServerOptions } from "../bitcoin/rpc/server.js";
import type { Devnet } from "../devnet/create.js";

export type { BitcoinRpcServer, BitcoinRpcServerOptions };

/**
 * Serves the devnet's simulated Bitcoin chain over a Bitcoin Core-compatible JSON-RPC (regtest's port
 * 18443 and credentials devnet/devnet by default, loopback only). Calls run after the clock's
 * catch-up, under the devnet's lock.
 * @example
 * const bitcoin = await startBitcoinServer(devnet, { port: 18443 });
 * // curl --user devnet:devnet --data '{"method":"getblockcount"}' http://127.0.0.1:18443
 * await bitcoin.close();
 */
export async function startBitcoinServer(devnet: Devnet, options: BitcoinRpcServerOptions = {}): Promise<BitcoinRpcServer> {
  const { startBitcoinRpcServer } = await import("../bitcoin/rpc/server.js");
  return startBitcoinRpcServer(
    devnet.core.settlement.rpcHost(() => devnet.core.catchUp()),
    options,
  );
}
