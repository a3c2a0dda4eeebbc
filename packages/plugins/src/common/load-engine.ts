/**
 * Loads the engine (@bitlayer/devnet's main entry) for a devnet run in process, with Node's compile cache on.
 *
 * The engine loads inside the user's test process, where Hardhat has not enabled the cache: each run compiled the
 * engine's bundle and what starting it pulls in (Hardhat's HTTP client, undici) from source again. With the cache
 * (Node >= 22.1, `module.enableCompileCache`, as the CLI does for itself) a connection to an in-process network was
 * created ~25 ms sooner. It is enabled only here, when an in-process devnet starts, so a process that never runs one
 * is untouched; Node keeps the cache in its own folder under the OS's temporary directory, or in `NODE_COMPILE_CACHE`,
 * and `NODE_DISABLE_COMPILE_CACHE=1` turns it off.
 *
 * @example
 * const { createDevnet } = await loadEngine();
 *
 * @internal
 * @module
 */

import module from "node:module";

/** The engine's module, loaded with the compile cache on (where this Node has one). */
export async function loadEngine(): Promise<typeof import("@bitlayer/devnet")> {
  module.enableCompileCache?.();
  return await import("@bitlayer/devnet");
}
