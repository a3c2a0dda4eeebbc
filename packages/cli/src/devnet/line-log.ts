/**
 * Line logs of `bitlayer devnet` (no TTY, `--json` or `--no-dashboard`): one event per line, as
 * text meant to be read and grepped, or as JSON objects meant to be parsed.
 *
 * @module
 */

import { humanDuration, plural, satsToBtc } from "../units.js";
import { type DevnetEvent, jsonLine } from "./events.js";
import type { DevnetFeed } from "./feed.js";

function blockRange(from: bigint, to: bigint): string {
  return from === to ? `#${from}` : `#${from}–#${to}`;
}

/** The text line of an event (without its newline); undefined for events text mode does not print. */
export function textLine(e: DevnetEvent): string | undefined {
  switch (e.event) {
    case "listening":
      return `Listening on ${e.url}`;
    case "block":
      return `Block #${e.number} ${e.hash} ${e.transactions} tx${e.transactions === 1 ? "" : "s"}${e.systemTransactions ? ` (${e.systemTransactions} system)` : ""}`;
    case "blocks":
      return `mined ${plural(e.count, "block")} (${blockRange(e.from, e.to)})`;
    case "console":
      // As Hardhat's node prints them (after the block of a mined transaction).
      return `  console.log: ${e.text.replaceAll("\n", "\n               ")}`;
    case "bitcoin":
      return e.count === 1 ? `Bitcoin block ${e.height}` : `Bitcoin blocks ${e.height - e.count + 1}–${e.height} (${e.count} blocks)`;
    case "batch": {
      const blocks = `L2 blocks ${blockRange(e.firstBlock, e.lastBlock)}`;
      switch (e.status) {
        case "claimed":
          return `Batch ${e.index} claimed in Bitcoin block ${e.claimHeight} (${blocks}; window closes at Bitcoin block ${e.windowClosesAt ?? "-"})`;
        case "anchored":
          return `Batch ${e.index} anchored (${blocks} safe)`;
        case "final":
          return `Batch ${e.index} hard final (${blocks} finalized)`;
        case "invalidated":
          return `Batch ${e.index} invalidated (${blocks})${e.reason ? `: ${e.reason}` : ""}`;
        default:
          return `Batch ${e.index} ${e.status} (${blocks})`;
      }
    }
    case "batches": {
      const step = e.status === "final" ? "hard final" : e.status;
      return `Batches ${e.from}–${e.to} ${step} (${e.count} batches, L2 blocks ${blockRange(e.firstBlock, e.lastBlock)})`;
    }
    case "withdrawal": {
      const head = `Withdrawal ${e.id}`;
      switch (e.status) {
        case "initiated":
          return `${head} of ${satsToBtc(e.amountSats)} BTC to ${e.btcAddress} initiated in L2 block #${e.blockNumber ?? "?"}`;
        case "paid":
          return `${head} paid in Bitcoin tx ${e.payment?.txid ?? "?"} (Bitcoin block ${e.payment?.height ?? "?"})`;
        case "paid-by-broker":
          return `${head} paid by the broker in Bitcoin tx ${e.payment?.txid ?? "?"}`;
        default:
          return `${head} ${e.status}`;
      }
    }
    case "deposit": {
      const head = `Deposit ${e.txid}:${e.vout} of ${satsToBtc(e.amountSats)} BTC`;
      switch (e.status) {
        case "minted":
          return `${head} minted to ${e.recipient} in L2 block #${e.mintBlock ?? "?"}`;
        case "rejected":
          return `${head} rejected: ${e.problem ?? "no reason given"}`;
        default:
          return `${head} to ${e.recipient ?? "?"} ${e.status} on Bitcoin`;
      }
    }
    case "halt":
      return `L2 HALTED: ${e.reason} (Bitcoin block ${e.bitcoinHeight})`;
    case "resume":
      return "L2 running";
    case "warp":
      return `Clock warped +${humanDuration(e.seconds)} to ${new Date(e.to * 1000).toISOString()}`;
    case "rollback":
      return `L2 rolled back to block #${e.to}`;
    case "warning":
      return `warning: ${e.message}`;
    case "stopping":
      return `\n${e.signal}: shutting down${e.stateFile ? `, saving state to ${e.stateFile}` : ""}`;
    case "saved":
      return `Saved state to ${e.file}`;
  }
}

/** What `--silent` still prints: halts, warnings and the shutdown. */
const SILENT_KEEPS = new Set<DevnetEvent["event"]>(["listening", "halt", "resume", "warning", "stopping", "saved"]);

export interface LineLogOptions {
  json: boolean;
  silent: boolean;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

/** Writes one event as one line: JSON on stdout, or text (warnings on stderr, as before). */
export function writeEvent(event: DevnetEvent, options: LineLogOptions): void {
  if (options.silent && !SILENT_KEEPS.has(event.event)) return;
  const stdout = options.stdout ?? process.stdout;
  if (options.json) {
    stdout.write(`${jsonLine(event)}\n`);
    return;
  }
  const line = textLine(event);
  if (line === undefined) return;
  (event.event === "warning" ? (options.stderr ?? process.stderr) : stdout).write(`${line}\n`);
}

/** Prints every event of the feed as a line. Returns a function that stops it. */
export function attachLineLog(feed: DevnetFeed, options: LineLogOptions): () => void {
  const listener = (event: DevnetEvent) => writeEvent(event, options);
  feed.on("event", listener);
  return () => feed.off("event", listener);
}
