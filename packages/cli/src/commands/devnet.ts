import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { EvmProfile, Preset } from "@bitlayer/devnet";
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
import type { Dashboard } from "../devnet/dashboard.js";
import type { DevnetEvent } from "../devnet/events.js";
import { DevnetFeed } from "../devnet/feed.js";
import { attachLineLog, writeEvent } from "../devnet/line-log.js";
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
  json: boolean;
  /** `--no-dashboard`: line logs on a terminal too. */
  dashboard: boolean;
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
    .option("--json", "print one JSON object per line (start-up info, then one event per line) instead of text", false)
    .option("--no-dashboard", "on a terminal, print line logs instead of the live dashboard")
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
  const btcRpc = { url: bitcoin.url, user: flags.btcUser, password: flags.btcPassword };
  const feed = new DevnetFeed(devnet);
  const say = (event: DevnetEvent) => writeEvent(event, { json: flags.json, silent: false });
  let dashboard: Dashboard | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    feed.stop();
    // The dashboard first: ink gives the terminal back (cursor, last frame kept) before anything else is printed.
    await dashboard?.stop().catch(() => undefined);
    say({ event: "stopping", signal, stateFile: flags.state ?? null });
    let code = 0;
    try {
      await Promise.all([server.close(), bitcoin.close()]);
    } catch (error) {
      process.stderr.write(`error: closing the server: ${oneLine(error)}\n`);
      code = 1;
    }
    try {
      await devnet.close();
      if (flags.state) say({ event: "saved", file: flags.state });
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
  await feed.start();
  const listening: DevnetEvent = {
    event: "listening",
    url: server.url,
    wsUrl: server.wsUrl,
    bitcoinRpc: btcRpc,
    chainId: devnet.chainId,
    preset: flags.preset,
    state: state ?? null,
    accounts: devnet.accounts.map((a) => ({ address: a.address, privateKey: a.privateKey, balance: flags.balance })),
    warning:
      "These accounts, and their private keys, are publicly known. Any funds sent to them on Mainnet or any other live network WILL BE LOST.",
  };
  if (flags.json) say(listening);
  else process.stdout.write(`${banner(devnet, server, flags.balance, state, btcRpc)}\n\nListening on ${server.url}\n`);
  if (flags.dashboard && !flags.json && !flags.silent && process.stdout.isTTY && !inCi()) {
    const { startDashboard } = await import("../devnet/dashboard.js");
    dashboard = await startDashboard(feed, {
      chainId: devnet.chainId,
      url: server.url,
      bitcoinUrl: bitcoin.url,
      preset: flags.preset,
      accounts: devnet.accounts.length,
      stateFile: flags.state,
    });
  } else {
    attachLineLog(feed, { json: flags.json, silent: flags.silent });
  }
}

/** As ink (is-in-ci) decides: in CI it would draw only the last frame, so line logs are better there. */
function inCi(): boolean {
  const set = (key: string) => key in process.env && process.env[key] !== "0" && process.env[key] !== "false";
  return set("CI") || set("CONTINUOUS_INTEGRATION");
}
