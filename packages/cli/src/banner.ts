import type { Devnet, DevnetServer } from "@bitlayer/devnet";
import { BITCOIN_BRIDGE, BITCOIN_LIGHT_CLIENT } from "@bitlayer/devnet/client";
import { btc, humanDuration } from "./units.js";

/** The `--state` file in use: loaded at start (with the block it resumed at), or new (written on exit). */
export interface StateFileStatus {
  file: string;
  loadedBlock?: bigint;
}

function stateLine(state: StateFileStatus | undefined): string {
  if (!state) return "in memory only (--state <file> keeps it between runs)";
  if (state.loadedBlock === undefined) return `${state.file} (new: saved on exit)`;
  return `${state.file} (loaded, block ${state.loadedBlock})`;
}

/** The start-up banner: where to connect, the state file, and the dev accounts with their (public) keys. */
export function banner(
  devnet: Devnet,
  server: DevnetServer,
  balance: bigint,
  state?: StateFileStatus,
  bitcoin?: { url: string; user: string; password: string },
): string {
  const s = devnet.core.settlement.config;
  const window =
    s.proofMode === "validity"
      ? "validity proofs (simulated), no window"
      : `window ${s.windowBlocks} Bitcoin blocks (${humanDuration(s.windowBlocks * s.bitcoinBlockTime)})`;
  const lines = [
    "Bitlayer devnet — a local, simulated Bitlayer L2 (EVM, PoS soft finality) settling on a simulated Bitcoin",
    "",
    `Chain id:   ${devnet.chainId}`,
    `RPC:        ${server.url}`,
    `WebSocket:  ${server.wsUrl}`,
    `EVM:        ${devnet.core.chain.config.profile}`,
    `Mining:     ${devnet.core.chain.mining.mode === "interval" ? `every ${devnet.core.chain.mining.intervalMs / 1000} s` : devnet.core.chain.mining.mode}`,
    `State:      ${stateLine(state)}`,
    ...(bitcoin ? [`Bitcoin RPC: ${bitcoin.url} (user ${bitcoin.user}, password ${bitcoin.password}; simulated regtest)`] : []),
    `Settlement: a Bitcoin block every ${humanDuration(s.bitcoinBlockTime)}; anchored (safe) at ${s.confirmations} confirmations; ${window}`,
    `Bridge:     ${BITCOIN_BRIDGE.address} (${s.bridge.mode} peg-outs); light client ${BITCOIN_LIGHT_CLIENT.address}; peg-ins minted at ${s.bridge.depositConfirmations} confirmations; forced transactions within ${humanDuration(s.bridge.forceInclusionSeconds)} (bitlayer_bridgeInfo)`,
    "",
    "Accounts",
    "========",
    "",
    "WARNING: These accounts, and their private keys, are publicly known.",
    "Any funds sent to them on Mainnet or any other live network WILL BE LOST.",
    "",
  ];
  devnet.accounts.forEach((account, i) => {
    lines.push(`Account #${i}: ${account.address} (${btc(balance)} BTC)`);
    lines.push(`Private Key: ${account.privateKey}`);
    lines.push("");
  });
  lines.push("WARNING: These accounts, and their private keys, are publicly known.");
  lines.push("Any funds sent to them on Mainnet or any other live network WILL BE LOST.");
  return lines.join("\n");
}
