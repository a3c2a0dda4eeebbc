import {
  DEFAULT_ACCOUNT_BALANCE,
  DEFAULT_BITCOIN_RPC_PASSWORD,
  DEFAULT_BITCOIN_RPC_PORT,
  DEFAULT_BITCOIN_RPC_USER,
  DEFAULT_MNEMONIC,
  DEVNET_CHAIN_ID,
  type EvmProfile,
  PRESETS,
  PROFILES,
  type Preset,
} from "@bitlayer/devnet/client";
import { Command, Option } from "commander";
import { btcAmount, duration, integer, seconds } from "../options.js";

export interface DevnetFlags {
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
    .action(async (flags: DevnetFlags) => {
      // The engine loads only when a devnet starts: `bitlayer --help` and the other commands stay quick.
      const { runDevnet } = await import("../devnet/run.js");
      await runDevnet(flags);
    });
}
