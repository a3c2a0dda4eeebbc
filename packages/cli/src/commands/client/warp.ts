import { type Finality, type FinalityTarget, getStatus, waitForFinality, warp } from "@bitlayer/plugins";
import { Command, InvalidArgumentError, Option } from "commander";
import { duration } from "../../options.js";
import { finalityTarget, finalityText } from "./finality.js";
import { fields, humanDuration, isoTime, plural } from "./format.js";
import { type ClientFlags, clientCommand, runClient } from "./rpc.js";

interface WarpFlags extends ClientFlags {
  until?: "anchored" | "hard";
}

interface WarpOutcome {
  from: number;
  to: number;
  bitcoinBlocks: number;
  bitcoinHeight: number;
  finality?: Finality;
}

/** `bitlayer warp <duration>` / `bitlayer warp --until <level> <tx|block>`. */
export function warpCommand(): Command {
  return clientCommand(
    new Command("warp")
      .summary(`Move the devnet's clock forward (7d, 1h30m), or until a transaction is anchored or hard`)
      .description(
        "Move the devnet's clock forward (both chains): by a duration, or until a transaction or block is anchored or hard final. " +
          "The Bitcoin blocks that fall due are mined on the way; no L2 block is mined",
      )
      .argument("<duration|tx>", "a duration (7d, 1h30m, 3600 seconds), or with --until a transaction hash or L2 block number")
      .addOption(new Option("--until <level>", "warp until the transaction or block reaches this level").choices(["anchored", "hard"]))
      .action((arg: string, flags: WarpFlags) => {
        // Parsed here, not by commander: what the argument is depends on --until.
        let seconds: number | undefined;
        let target: FinalityTarget | undefined;
        try {
          if (flags.until) target = finalityTarget(arg);
          else seconds = positiveDuration(arg);
        } catch (error) {
          throw new Error(`argument '<duration|tx>': ${(error as Error).message}${flags.until ? "" : " (or use --until <level> <tx>)"}`);
        }
        return runClient(
          flags,
          async ({ provider }) => {
            if (seconds !== undefined) {
              const result = await warp(provider, seconds);
              return { ...result, bitcoinHeight: (await getStatus(provider)).bitcoin.height };
            }
            const before = await getStatus(provider);
            const finality = await waitForFinality(provider, target as FinalityTarget, flags.until as "anchored" | "hard", {
              warp: true,
              timeoutMs: 10_000,
            });
            const after = await getStatus(provider);
            return {
              from: before.time,
              to: after.time,
              bitcoinBlocks: after.bitcoin.height - before.bitcoin.height,
              bitcoinHeight: after.bitcoin.height,
              finality,
            };
          },
          warpText,
        );
      }),
    "bitlayer warp 7d",
    "bitlayer warp 1h30m",
    "bitlayer warp --until hard 0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060",
  );
}

function positiveDuration(value: string): number {
  const seconds = duration(value);
  if (seconds <= 0) throw new InvalidArgumentError(`expected a duration longer than 0, got "${value}"`);
  return seconds;
}

function warpText(outcome: WarpOutcome): string {
  const moved = fields([
    ["Warped", `${humanDuration(outcome.to - outcome.from)}: ${isoTime(outcome.from)} → ${isoTime(outcome.to)}`],
    ["Bitcoin", `${plural(outcome.bitcoinBlocks, "block")} mined, height ${outcome.bitcoinHeight}`],
  ]);
  return outcome.finality ? `${moved}\n\n${finalityText({ ...outcome.finality, bitcoinHeight: outcome.bitcoinHeight })}` : moved;
}
