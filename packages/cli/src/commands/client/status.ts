import { getStatus, type Status } from "@bitlayer/plugins";
import { Command } from "commander";
import { blockNo, fields, humanDuration, isoTime, plural } from "./format.js";
import { type ClientFlags, clientCommand, runClient } from "./rpc.js";

/** `bitlayer status`: the devnet at a glance. */
export function statusCommand(): Command {
  return clientCommand(
    new Command("status")
      .summary("L2 heads by finality level, Bitcoin height, batches, halted or not")
      .description("Show a running devnet: L2 heads by finality level, Bitcoin height, batches, halted or not, devnet time")
      .action((flags: ClientFlags) =>
        runClient(
          flags,
          async ({ provider }) => {
            const status = await getStatus(provider);
            // The last 1000 batches by status: how many are on their way to hard finality.
            const from = Math.max(0, status.rollup.batches - 1000);
            const batches = (await provider.request({ method: "bitlayer_listBatches", params: [from, 1000] })) as { status: string }[];
            const byStatus: Record<string, number> = {};
            for (const batch of batches) byStatus[batch.status] = (byStatus[batch.status] ?? 0) + 1;
            return { ...status, batchesByStatus: byStatus };
          },
          statusText,
        ),
      ),
    "bitlayer status --rpc-url http://127.0.0.1:8545",
  );
}

function batchesText(status: Status & { batchesByStatus: Record<string, number> }): string {
  const { rollup } = status;
  const last = rollup.lastBatch;
  const counts = Object.entries(status.batchesByStatus).map(([name, n]) => `${n} ${name}`);
  return [
    `${rollup.batches}${counts.length > 0 ? ` (${counts.join(", ")})` : ""}`,
    last ? `last #${last.index}: blocks ${blockNo(last.firstBlock)}-${blockNo(last.lastBlock)}` : undefined,
  ]
    .filter(Boolean)
    .join("; ");
}

function statusText(status: Status & { batchesByStatus: Record<string, number> }, { url }: { url: string }): string {
  const { bitcoin, rollup, halted } = status;
  const window =
    rollup.mode === "validity"
      ? "validity proofs, no window"
      : `window ${rollup.windowBlocks} Bitcoin blocks (${humanDuration(rollup.windowSeconds)})`;
  return fields([
    ["Devnet", url],
    ["Time", `${isoTime(status.time)} (${status.time})`],
    ["Soft (latest)", `block ${blockNo(status.l2.latest)}`],
    ["Anchored (safe)", `block ${blockNo(status.l2.safe)}`],
    ["Hard (finalized)", `block ${blockNo(status.l2.finalized)}`],
    [
      "Bitcoin",
      `height ${bitcoin.height}; next block in ${humanDuration(Math.max(0, bitcoin.nextBlockAt - status.time))} (one every ${humanDuration(bitcoin.blockTime)})`,
    ],
    ["Batches", batchesText(status)],
    ["Settlement", `${rollup.mode}; anchored at ${plural(rollup.confirmations, "confirmation")}; ${window}`],
    ["Watcher", rollup.watcher ? "on" : "off (fraud goes unchallenged)"],
    ["Fraud", rollup.fraudInjected ? "injected into the next claim" : undefined],
    [
      "L2",
      halted
        ? `HALTED at batch #${halted.batch} (Bitcoin block ${halted.bitcoinHeight}): ${halted.reason}; \`bitlayer recover\` resumes it`
        : "running",
    ],
  ]);
}
