import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { EvmProfile, HaltInfo, Preset } from "@bitlayer/devnet";
import {
  createDevnet,
  DEFAULT_ACCOUNT_BALANCE,
  DEFAULT_BITCOIN_RPC_PASSWORD,
  DEFAULT_BITCOIN_RPC_PORT,
  DEFAULT_BITCOIN_RPC_USER,
  DEFAULT_MNEMONIC,
  DEVNET_CHAIN_ID,
  PRESETS,
  PROFILES,
  startBitcoinServer,
  startServer,
} from "@bitlayer/devnet";
import { Command, Option } from "commander";
import { banner, type StateFileStatus } from "../banner.js";
import { oneLine } from "../errors.js";
import { btcAmount, duration, integer, seconds } from "../options.js";

interface DevnetFlags {
  host: string;
  port: number;
  chainId: number;
  accounts: number;
  balance: bigint;
  mnemonic: string;
  hardfork: EvmProfile;
  blockTime?: number;
  automine: boolean;
  timestamp?: number;
  state?: string;
  silent: boolean;
  /** `--no-failed-tx-errors`: the devnet option throwOnTransactionFailures. */
  failedTxErrors: boolean;
  preset: Preset;
  btcBlockTime?: number;
  confirmations?: number;
  challengePeriod?: number;
  proofMode?: "optimistic" | "validity";
  watcher: boolean;
  bridgeMode: "standard" | "broker";
  depositConfirmations?: number;
  forceInclusionWindow?: number;
  btcPort: number;
  btcUser: string;
  btcPassword: string;
}

/** `bitlayer devnet`: start the devnet server and print where to connect. */
export function devnetCommand(): Command {
  return new Command("devnet")
    .description("Start a local Bitlayer devnet (HTTP and WebSocket JSON-RPC)")
    .option("--host <host>", "interface to bind (loopback unless told otherwise)", "127.0.0.1")
    .option("-p, --port <port>", "port for HTTP and WebSocket JSON-RPC", integer(0, 65535), 8545)
    .option("--chain-id <id>", "chain id", integer(1, 2 ** 32), DEVNET_CHAIN_ID)
    .option("-a, --accounts <count>", "number of funded dev accounts", integer(0, 1000), 20)
    .addOption(
      new Option("--balance <btc>", "balance of each dev account, in BTC").argParser(btcAmount).default(DEFAULT_ACCOUNT_BALANCE, "10000"),
    )
    .option("-m, --mnemonic <words>", "mnemonic the dev accounts derive from", DEFAULT_MNEMONIC)
    .addOption(new Option("--hardfork <profile>", "EVM rules").choices(PROFILES).default("bitlayer"))
    .option("-b, --block-time <seconds>", "mine a block every N seconds (interval mining) instead of automine", seconds)
    .option("--no-automine", "mine only on evm_mine / hardhat_mine")
    .option("--timestamp <unix>", "genesis timestamp; fixes the clock so runs are reproducible", integer(0, 2 ** 40))
    .option("--state <file>", "load the devnet from FILE at start (if it exists) and save it there on exit")
    .option("--silent", "print nothing after the banner", false)
    .option(
      "--no-failed-tx-errors",
      "answer a send whose transaction fails with its hash (status-0 receipt), as Anvil does, instead of Hardhat's error",
    )
    .addOption(
      new Option("--preset <name>", "settlement timing: mainnet (600 s Bitcoin blocks, 7-day window) or fast (1 s blocks, 1-minute window)")
        .choices(PRESETS)
        .default("mainnet"),
    )
    .option("--btc-block-time <seconds>", "seconds of virtual time between Bitcoin blocks (default: the preset's)", integer(1, 86_400))
    .option("--confirmations <n>", "Bitcoin confirmations that make a batch anchored, the `safe` tag (default 6)", integer(1, 10_000))
    .option("--challenge-period <duration>", "challenge window, e.g. 7d, 1h30m or seconds (default: the preset's)", duration)
    .addOption(
      new Option("--proof-mode <mode>", "optimistic (a challenge window) or validity (a simulated proof, no window)").choices([
        "optimistic",
        "validity",
      ]),
    )
    .option("--no-watcher", "start with the built-in honest watcher off (fraud then finalizes)")
    .addOption(
      new Option("--bridge-mode <mode>", "peg-outs paid by the bridge after hard finality (standard) or at once by a broker (broker)")
        .choices(["standard", "broker"])
        .default("standard"),
    )
    .option("--deposit-confirmations <n>", "Bitcoin confirmations before a peg-in is minted on the L2 (default 6)", integer(1, 10_000))
    .option(
      "--force-inclusion-window <duration>",
      "how long the sequencer has to include a forced transaction, e.g. 72h (default: the preset's)",
      duration,
    )
    .option(
      "--btc-port <port>",
      "port of the simulated Bitcoin node's RPC (Bitcoin Core-compatible)",
      integer(0, 65535),
      DEFAULT_BITCOIN_RPC_PORT,
    )
    .option("--btc-user <user>", "Bitcoin RPC user (HTTP basic auth)", DEFAULT_BITCOIN_RPC_USER)
    .option("--btc-password <password>", "Bitcoin RPC password (HTTP basic auth)", DEFAULT_BITCOIN_RPC_PASSWORD)
    .action(async (flags: DevnetFlags) => run(flags));
}

/**
 * Checks at start that the state file can be saved at exit: its folder exists, is a folder and is
 * writable. Refuses otherwise rather than creating folders, so a typo in the path is caught before
 * a session's work depends on it. Returns whether the file already exists (it is then loaded).
 */
async function checkStateFile(file: string): Promise<boolean> {
  const dir = dirname(resolve(file));
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error(`--state ${file}: ${dir} is not a folder`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error(`--state ${file}: folder ${dir} does not exist; create it first (the state is saved there on exit)`);
    }
    throw error;
  }
  try {
    await access(dir, constants.W_OK);
  } catch {
    throw new Error(`--state ${file}: folder ${dir} is not writable, so the state could not be saved on exit`);
  }
  try {
    if ((await stat(file)).isDirectory()) throw new Error(`--state ${file}: is a folder, not a file`);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

/** A port already taken, said in one line naming the flag that changes it. */
function portError(error: unknown, port: number, host: string, flag: string): Error {
  if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
    return new Error(`port ${port} on ${host} is already in use; choose another with ${flag}`);
  }
  return error as Error;
}

async function run(flags: DevnetFlags): Promise<void> {
  const stateExists = flags.state === undefined ? false : await checkStateFile(flags.state);
  const devnet = await createDevnet({
    chainId: flags.chainId,
    hardfork: flags.hardfork,
    accounts: { count: flags.accounts, balance: flags.balance, mnemonic: flags.mnemonic },
    mining: flags.blockTime ? { mode: "interval", intervalMs: flags.blockTime } : { mode: flags.automine ? "auto" : "manual" },
    genesisTimestamp: flags.timestamp,
    stateFile: flags.state,
    throwOnTransactionFailures: flags.failedTxErrors,
    preset: flags.preset,
    bitcoin: { blockTime: flags.btcBlockTime },
    rollup: {
      confirmations: flags.confirmations,
      challengePeriod: flags.challengePeriod,
      proofMode: flags.proofMode,
      watcher: flags.watcher,
    },
    bridge: {
      mode: flags.bridgeMode,
      depositConfirmations: flags.depositConfirmations,
      forceInclusionWindow: flags.forceInclusionWindow,
    },
  });
  let server: Awaited<ReturnType<typeof startServer>>;
  let bitcoin: Awaited<ReturnType<typeof startBitcoinServer>>;
  try {
    server = await startServer(devnet, { host: flags.host, port: flags.port }).catch((error) => {
      throw portError(error, flags.port, flags.host, "--port");
    });
    bitcoin = await startBitcoinServer(devnet, {
      host: flags.host,
      port: flags.btcPort,
      user: flags.btcUser,
      password: flags.btcPassword,
    }).catch(async (error) => {
      await server.close();
      throw portError(error, flags.btcPort, flags.host, "--btc-port");
    });
  } catch (error) {
    await devnet.close();
    throw error;
  }
  let state: StateFileStatus | undefined;
  if (flags.state !== undefined) {
    state = stateExists
      ? { file: flags.state, loadedBlock: BigInt((await devnet.request({ method: "eth_blockNumber" })) as string) }
      : { file: flags.state };
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: shutting down${flags.state ? `, saving state to ${flags.state}` : ""}\n`);
    let code = 0;
    try {
      await Promise.all([server.close(), bitcoin.close()]);
    } catch (error) {
      process.stderr.write(`error: closing the server: ${oneLine(error)}\n`);
      code = 1;
    }
    try {
      await devnet.close();
      if (flags.state) process.stdout.write(`Saved state to ${flags.state}\n`);
    } catch (error) {
      const reason =
        flags.state && (error as NodeJS.ErrnoException).code === "ENOENT"
          ? `folder ${dirname(resolve(flags.state))} no longer exists`
          : oneLine(error);
      process.stderr.write(`error: ${flags.state ? `could not save state to ${flags.state}` : "shutting down"}: ${reason}\n`);
      code = 1;
    }
    process.exit(code);
  };
  // Before "Listening on": a Ctrl-C as soon as the URL shows must reach stop(), not Node's default exit.
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  const btcRpc = { url: bitcoin.url, user: flags.btcUser, password: flags.btcPassword };
  process.stdout.write(`${banner(devnet, server, flags.balance, state, btcRpc)}\n\nListening on ${server.url}\n`);
  devnet.core.chain.on("warning", (message) => process.stderr.write(`warning: ${message}\n`));
  devnet.core.on("halt", (halt: HaltInfo | undefined) => {
    process.stdout.write(halt ? `L2 HALTED: ${halt.reason} (Bitcoin block ${halt.bitcoinHeight})\n` : "L2 running\n");
  });
  if (!flags.silent) {
    devnet.onBlock((block) => {
      const txs = block.transactions.length;
      process.stdout.write(`Block #${block.number} ${block.hash} ${txs} tx${txs === 1 ? "" : "s"}\n`);
    });
    // Solidity console.log, as Hardhat's node prints it (after the block of a mined transaction).
    devnet.onConsole((log) => process.stdout.write(`  console.log: ${log.text.replaceAll("\n", "\n               ")}\n`));
  }
}
