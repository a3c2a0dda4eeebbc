import type { EvmProfile } from "@bitlayer/devnet";
import { createDevnet, DEFAULT_ACCOUNT_BALANCE, DEFAULT_MNEMONIC, DEVNET_CHAIN_ID, PROFILES, startServer } from "@bitlayer/devnet";
import { Command, Option } from "commander";
import { banner } from "../banner.js";
import { btcAmount, integer, seconds } from "../options.js";

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
    .action(async (flags: DevnetFlags) => run(flags));
}

async function run(flags: DevnetFlags): Promise<void> {
  const devnet = await createDevnet({
    chainId: flags.chainId,
    hardfork: flags.hardfork,
    accounts: { count: flags.accounts, balance: flags.balance, mnemonic: flags.mnemonic },
    mining: flags.blockTime ? { mode: "interval", intervalMs: flags.blockTime } : { mode: flags.automine ? "auto" : "manual" },
    genesisTimestamp: flags.timestamp,
    stateFile: flags.state,
    throwOnTransactionFailures: flags.failedTxErrors,
  });
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer(devnet, { host: flags.host, port: flags.port });
  } catch (error) {
    await devnet.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") throw new Error(`port ${flags.port} on ${flags.host} is already in use; choose another with --port`);
    throw error;
  }
  process.stdout.write(`${banner(devnet, server, flags.balance)}\n\nListening on ${server.url}\n`);
  if (!flags.silent) {
    devnet.onBlock((block) => {
      const txs = block.transactions.length;
      process.stdout.write(`Block #${block.number} ${block.hash} ${txs} tx${txs === 1 ? "" : "s"}\n`);
    });
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: shutting down${flags.state ? `, saving state to ${flags.state}` : ""}\n`);
    await server.close();
    await devnet.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}
