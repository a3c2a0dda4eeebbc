/**
 * `bitlayer devnet` once its flags are parsed: the devnet, its servers, the banner, then the dashboard or the line
 * logs until Ctrl-C. Loaded on demand by the command (it brings the engine).
 *
 * @module
 */

import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { createDevnet, startBitcoinServer, startServer } from "@bitlayer/devnet";
import { banner, type StateFileStatus } from "../banner.js";
import type { DevnetFlags } from "../commands/devnet.js";
import { oneLine } from "../errors.js";
import { onShutdown } from "../shutdown.js";
import { canDrawLive } from "../terminal.js";
import type { Dashboard } from "./dashboard.js";
import type { DevnetEvent } from "./events.js";
import { DevnetFeed } from "./feed.js";
import { compactWhenIdle } from "./idle-gc.js";
import { attachLineLog, writeEvent } from "./line-log.js";

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

export async function runDevnet(flags: DevnetFlags): Promise<void> {
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
  // Memory the start-up needed (V8's young generation) goes back once the devnet is idle: see idle-gc.ts.
  const stopCompactor = compactWhenIdle({ lateStartup: () => devnet.core.settlement.loaded !== undefined });
  // Before "Listening on": a Ctrl-C as soon as the URL shows must reach this, not Node's default exit.
  onShutdown(async (signal) => {
    feed.stop();
    stopCompactor();
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
  });
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
  // The feed's first status loads the Bitcoin side (~0.4 s): after "Listening", so that the devnet answers meanwhile.
  await feed.start();
  if (flags.dashboard && !flags.json && !flags.silent && canDrawLive()) {
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
