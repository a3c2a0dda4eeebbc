/**
 * The live dashboard of `bitlayer devnet` on a terminal (ink). React and ink are loaded here, with
 * import(), and nowhere else: they stay out of the CLI's bundle and out of every other command's
 * start. No JSX, for the same reason (a static react/jsx-runtime import would be hoisted).
 *
 * @module
 */

import type { ReactElement, ReactNode } from "react";
import { humanDuration, satsToBtc } from "../units.js";
import type { DevnetEvent } from "./events.js";
import type { BatchInfo, DevnetFeed, DevnetModel } from "./feed.js";
import { textLine } from "./line-log.js";

type ReactLib = typeof import("react");
type InkLib = typeof import("ink");

/** What the dashboard shows besides the model: fixed at start. */
export interface DashboardInfo {
  chainId: bigint;
  url: string;
  bitcoinUrl: string;
  preset: string;
  accounts: number;
  stateFile?: string;
}

const BAR_WIDTH = 30;
const SHOW_BATCHES = 6;
const SHOW_TRANSACTIONS = 5;
const SHOW_WITHDRAWALS = 4;
const SHOW_EVENTS = 5;
/** Redraws at most this often (ms): a burst of 100 000 blocks is one redraw per period, not 100 000. */
const REDRAW_MS = 200;

/** The finality level of an L2 block, from the heads: hard (finalized), anchored (safe) or soft (latest). */
export function levelOf(block: bigint, heads: DevnetModel["heads"]): "hard" | "anchored" | "soft" {
  if (block <= heads.finalized) return "hard";
  if (block <= heads.safe) return "anchored";
  return "soft";
}

const LEVEL_COLOR = { soft: "yellow", anchored: "cyan", hard: "green" } as const;

/** How far a batch is through its challenge window: the fraction elapsed and the seconds left. */
export function countdown(batch: BatchInfo, bitcoin: DevnetModel["bitcoin"]): { fraction: number; secondsLeft: number } | undefined {
  if (batch.claimHeight === null || batch.windowClosesAt === null) return undefined;
  const span = batch.windowClosesAt - batch.claimHeight;
  const elapsed = bitcoin.height - batch.claimHeight;
  const fraction = span <= 0 ? 1 : Math.min(1, Math.max(0, elapsed / span));
  return { fraction, secondsLeft: Math.max(0, batch.windowClosesAt - bitcoin.height) * bitcoin.blockTime };
}

function short(hash: string, keep = 10): string {
  return hash.length > keep + 4 ? `${hash.slice(0, keep)}…${hash.slice(-4)}` : hash;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + " ".repeat(width - text.length);
}

/** The dashboard as an element tree: a pure function of the model (tested with ink's renderToString). */
export function dashboardElement(
  react: ReactLib,
  ink: InkLib,
  model: DevnetModel,
  info: DashboardInfo,
  recent: readonly string[],
): ReactElement {
  const h = react.createElement;
  const { Box, Text } = ink;
  const line = (key: string, ...children: ReactNode[]) => h(Text, { key, wrap: "truncate-end" }, ...children);
  const title = (text: string) => h(Text, { bold: true, color: "blue" }, text);
  const section = (key: string, ...children: ReactNode[]) => h(Box, { key, flexDirection: "column", marginTop: 1 }, ...children);
  const { heads, bitcoin, rollup } = model;
  const clock = `${new Date(model.time * 1000).toISOString().replace("T", " ").slice(0, 19)} UTC`;

  const header = h(
    Box,
    { key: "header", borderStyle: "round", borderColor: "blue", paddingX: 1, flexDirection: "column" },
    line(
      "h1",
      h(Text, { bold: true }, "Bitlayer devnet"),
      `  chain ${info.chainId}  ·  RPC ${info.url}  ·  Bitcoin RPC ${info.bitcoinUrl}  ·  preset ${info.preset}`,
    ),
    line(
      "h2",
      `Devnet clock ${clock}  ·  ${rollup.mode}, ${rollup.confirmations} confirmations to anchor, `,
      rollup.mode === "validity" ? "proof to finalize" : `window ${rollup.windowBlocks} Bitcoin blocks`,
      `  ·  watcher ${rollup.watcher ? "on" : "off"}`,
    ),
  );

  const halted = model.halted
    ? h(
        Box,
        { key: "halted", borderStyle: "bold", borderColor: "red", paddingX: 1 },
        h(
          Text,
          { color: "red", bold: true, wrap: "truncate-end" },
          `L2 HALTED: ${model.halted.reason} (Bitcoin block ${model.halted.bitcoinHeight})`,
        ),
      )
    : null;

  const nextIn = Math.max(0, bitcoin.nextBlockAt - model.time);
  const headsSection = section(
    "heads",
    title("Finality"),
    line(
      "levels",
      "L2 heads   ",
      h(Text, { color: LEVEL_COLOR.soft }, `latest (soft) #${heads.latest}`),
      "    ",
      h(Text, { color: LEVEL_COLOR.anchored }, `safe (anchored) #${heads.safe}`),
      "    ",
      h(Text, { color: LEVEL_COLOR.hard }, `finalized (hard) #${heads.finalized}`),
    ),
    line(
      "btc",
      `Bitcoin    height ${bitcoin.height}  ·  next block in ${humanDuration(nextIn)}  ·  a block every ${humanDuration(bitcoin.blockTime)}`,
    ),
  );

  const shownBatches = model.batches.slice(-SHOW_BATCHES).reverse();
  const batchRows = shownBatches.map((b) => {
    const range = pad(b.firstBlock === b.lastBlock ? `#${b.firstBlock}` : `#${b.firstBlock}–#${b.lastBlock}`, 20);
    const status = pad(b.status === "final" ? "hard final" : b.status, 12);
    const left = countdown(b, bitcoin);
    let tail: ReactNode;
    if (b.status === "final") tail = h(Text, { color: "green" }, `[${"█".repeat(BAR_WIDTH)}] 100%  hard`);
    else if (b.status === "invalidated" || b.status === "disproved")
      tail = h(Text, { color: "red" }, "invalid: its blocks are rolled back on recovery");
    else if (left === undefined)
      tail = h(Text, { dimColor: true }, b.mode === "validity" ? "awaiting proof verification" : "awaiting claim");
    else {
      const filled = Math.round(left.fraction * BAR_WIDTH);
      const disputed = b.status === "challenged" || b.status === "asserted";
      tail = h(
        Text,
        { color: disputed ? "magenta" : b.status === "anchored" ? "cyan" : "yellow" },
        `[${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}] ${pad(`${Math.floor(left.fraction * 100)}%`, 4)}  ${humanDuration(left.secondsLeft)} left to hard`,
      );
    }
    return line(`b${b.index}`, `${pad(String(b.index), 6)}${range}${status}`, tail);
  });
  const batches = section(
    "batches",
    title(`Batches (${rollup.batches})`),
    line("bh", h(Text, { dimColor: true }, `${pad("#", 6)}${pad("L2 blocks", 20)}${pad("status", 12)}challenge window → hard finality`)),
    ...(batchRows.length > 0
      ? batchRows
      : [line("b-none", h(Text, { dimColor: true }, "none yet: the next Bitcoin block claims the blocks so far"))]),
  );

  const txRows = model.transactions
    .slice(-SHOW_TRANSACTIONS)
    .reverse()
    .map((tx) => {
      const level = levelOf(tx.block, heads);
      return line(`t${tx.hash}`, `${tx.hash}  block ${pad(`#${tx.block}`, 10)}`, h(Text, { color: LEVEL_COLOR[level] }, level));
    });
  const transactions = section(
    "txs",
    title("Recent transactions"),
    ...(txRows.length > 0 ? txRows : [line("t-none", h(Text, { dimColor: true }, "none yet"))]),
  );

  const wRows = model.withdrawals
    .slice(-SHOW_WITHDRAWALS)
    .reverse()
    .map((w) =>
      line(
        `w${w.id}`,
        `${short(w.id, 14)}  ${pad(`${satsToBtc(w.amountSats)} BTC`, 16)} → ${pad(w.btcAddress, 46)} `,
        h(
          Text,
          { color: w.status === "paid" || w.status === "reimbursed" ? "green" : w.status === "invalidated" ? "red" : "yellow" },
          w.status,
        ),
        w.payment ? `  (Bitcoin tx ${short(w.payment.txid, 12)})` : "",
      ),
    );
  const withdrawals = section(
    "withdrawals",
    title(`Withdrawals${model.deposits > 0 ? `  ·  ${model.deposits} deposit${model.deposits === 1 ? "" : "s"}` : ""}`),
    ...(wRows.length > 0 ? wRows : [line("w-none", h(Text, { dimColor: true }, "none yet"))]),
  );

  const events = section(
    "events",
    title("Events"),
    ...(recent.length > 0
      ? recent.map((text, i) => line(`e${i}`, h(Text, { dimColor: true }, text)))
      : [line("e-none", h(Text, { dimColor: true }, "—"))]),
  );

  const footer = h(
    Box,
    { key: "footer", marginTop: 1 },
    line(
      "f",
      h(Text, { color: "yellow" }, `${info.accounts} dev accounts, keys printed above: publicly known, never use them on a live network.`),
      `  Ctrl-C stops${info.stateFile ? ` and saves the state to ${info.stateFile}` : ""}.`,
    ),
  );

  return h(Box, { flexDirection: "column" }, header, halted, headsSection, batches, transactions, withdrawals, events, footer);
}

interface LiveProps {
  react: ReactLib;
  ink: InkLib;
  feed: DevnetFeed;
  info: DashboardInfo;
  recent: readonly string[];
}

/** Redraws on the feed's changes, at most once per REDRAW_MS. */
function LiveDashboard({ react, ink, feed, info, recent }: LiveProps): ReactElement {
  const [, setTick] = react.useState(0);
  react.useEffect(() => {
    let pending: NodeJS.Timeout | undefined;
    const onChange = () => {
      if (pending) return;
      pending = setTimeout(() => {
        pending = undefined;
        setTick((t) => t + 1);
      }, REDRAW_MS);
      pending.unref();
    };
    feed.on("change", onChange);
    return () => {
      feed.off("change", onChange);
      clearTimeout(pending);
    };
  }, [feed]);
  return dashboardElement(react, ink, feed.model, info, recent);
}

/** A running dashboard; `stop()` unmounts it and gives the terminal back (cursor shown, output kept). */
export interface Dashboard {
  stop(): Promise<void>;
}

/** Draws the dashboard under what is already printed and redraws it on the feed's changes. */
export async function startDashboard(feed: DevnetFeed, info: DashboardInfo): Promise<Dashboard> {
  const react = (await import("react")).default;
  const ink = await import("ink");
  const recent: string[] = [];
  const onEvent = (event: DevnetEvent) => {
    if (event.event === "block" || event.event === "console") return; // they have their own section
    const text = textLine(event)?.trim();
    if (!text) return;
    recent.push(text.replaceAll("\n", " "));
    if (recent.length > SHOW_EVENTS) recent.shift();
  };
  feed.on("event", onEvent);

  // Ctrl-C stays a signal (ink reads no keys here): the command's SIGINT handler saves and exits.
  const instance = ink.render(react.createElement(LiveDashboard, { react, ink, feed, info, recent }), {
    exitOnCtrlC: false,
    patchConsole: false,
    maxFps: 10,
  });
  return {
    async stop() {
      feed.off("event", onEvent);
      instance.unmount();
      await instance.waitUntilExit().catch(() => undefined);
    },
  };
}
