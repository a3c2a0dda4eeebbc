import type { DevAccount } from "../l2/accounts.js";
import type { ConsoleLog } from "../l2/console.js";
import { startWasmKeccak } from "../l2/crypto.js";
import type { StoredBlock } from "../l2/types.js";
import { methodRegistry } from "../rpc/methods/index.js";
import { DevnetProvider, type RequestArguments } from "../rpc/provider.js";
import { readStateFile, writeStateFile } from "../state/file.js";
import { DevnetCore } from "./core.js";
import type { DevnetOptions } from "./options.js";

export interface CreateDevnetOptions extends DevnetOptions {
  /** State file: loaded at start when it exists, saved by `close()` and `saveState()`. */
  stateFile?: string;
}

/** A running devnet, in this process. */
export interface Devnet {
  /** EIP-1193 entry point: every JSON-RPC method of the registry. */
  request(args: RequestArguments): Promise<unknown>;
  /** The EIP-1193 provider itself (for libraries that want an object with `request` and events). */
  readonly provider: DevnetProvider;
  readonly chainId: bigint;
  /** The funded dev accounts, with their (public) keys. */
  readonly accounts: readonly DevAccount[];
  /** Typed access to the engine: chain, clock, finality. */
  readonly core: DevnetCore;
  /** Calls `listener` with every new block. Returns a function that stops it. */
  onBlock(listener: (block: StoredBlock) => void): () => void;
  /**
   * Calls `listener` with every Solidity console.log line (Hardhat's console.sol), from mined
   * transactions and from eth_call, formatted as Hardhat prints them. Returns a function that stops it.
   */
  onConsole(listener: (log: ConsoleLog) => void): () => void;
  /**
   * Calls the simulated Bitcoin node's JSON-RPC in process: Bitcoin Core's method names, answers and
   * errors (a failure throws a BitcoinRpcError with Core's code).
   * @example
   * const height = await devnet.bitcoinRequest("getblockcount");
   */
  bitcoinRequest(method: string, params?: unknown[]): Promise<unknown>;
  /** Writes the whole devnet state to a file, atomically. */
  saveState(path?: string): Promise<void>;
  /** Stops mining and timers; saves the state file if one was given. */
  close(): Promise<void>;
}

/**
 * Starts a devnet in this process, in milliseconds.
 * @example
 * const devnet = await createDevnet({ genesisTimestamp: 1_700_000_000 });
 * const chainId = await devnet.request({ method: "eth_chainId" }); // "0x31769"
 * await devnet.close();
 */
export async function createDevnet(options: CreateDevnetOptions = {}): Promise<Devnet> {
  const { stateFile, ...devnetOptions } = options;
  const core = await DevnetCore.create(devnetOptions, methodRegistry);
  // The WebAssembly Keccak compiles from the first block on (an in-process provider's next request waits for it):
  // see startWasmKeccak.
  const startHashing = () => {
    core.chain.off("block", startHashing);
    void startWasmKeccak();
  };
  core.chain.on("block", startHashing);
  if (stateFile) {
    const saved = await readStateFile(stateFile);
    if (saved !== undefined) {
      try {
        const { loadState } = await import("../state/dump.js");
        await core.chain.exclusive(() => loadState(core, saved));
      } catch (error) {
        core.close();
        throw error;
      }
    }
  }
  const provider = new DevnetProvider(core);
  let closed = false;
  // The state code (and its file schema) loads only with a state file or a save: not with every devnet.
  const save = async (path: string) => {
    const { dumpState } = await import("../state/dump.js");
    await writeStateFile(path, await core.chain.exclusive(() => dumpState(core)));
  };
  return {
    request: (args) => provider.request(args),
    provider,
    chainId: core.chain.config.chainId,
    accounts: core.chain.accounts,
    core,
    onBlock(listener) {
      core.chain.on("block", listener);
      return () => core.chain.off("block", listener);
    },
    onConsole(listener) {
      core.chain.on("console", listener);
      return () => core.chain.off("console", listener);
    },
    async bitcoinRequest(method, params = []) {
      const { bitcoinRpcRequest } = await import("../bitcoin/rpc/jsonrpc.js");
      return bitcoinRpcRequest(
        core.settlement.rpcHost(() => core.catchUp()),
        method,
        params,
      );
    },
    async saveState(path = stateFile) {
      if (!path) throw new Error("saveState: no path given and the devnet has no state file");
      await save(path);
    },
    async close() {
      if (closed) return;
      closed = true;
      provider.disconnect();
      try {
        if (stateFile) await save(stateFile);
      } finally {
        core.close();
      }
    },
  };
}
