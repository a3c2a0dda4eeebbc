import { type Finality, type FinalityTarget, getFinality, getStatus } from "@bitlayer/plugins";
import { Command, InvalidArgumentError } from "commander";
import { blockNo, fields, plural } from "./format.js";
import { type ClientFlags, clientCommand, runClient } from "./rpc.js";

/** A transaction hash (or block hash), or a decimal L2 block number. */
export function finalityTarget(value: string): FinalityTarget {
  if (/^0x[0-9a-fA-F]{64}$/.test(value)) return value as `0x${string}`;
  if (/^\d+$/.test(value) && Number.isSafeInteger(Number(value))) return Number(value);
  throw new InvalidArgumentError(`expected a transaction hash (0x + 64 hex digits) or an L2 block number, got "${value}"`);
}

/** `bitlayer finality <tx|block>`. */
export function finalityCommand(): Command {
  return clientCommand(
    new Command("finality")
      .summary("The finality level of a transaction or block")
      .description("Show the finality of a transaction or L2 block: level, block, batch, claim on Bitcoin, when its window closes")
      .argument("<tx|block>", "a transaction hash, or an L2 block number", finalityTarget)
      .action((target: FinalityTarget, flags: ClientFlags) =>
        runClient(
          flags,
          async ({ provider }) => {
            const finality = await getFinality(provider, target);
            return { ...finality, bitcoinHeight: (await getStatus(provider)).bitcoin.height };
          },
          finalityText,
        ),
      ),
    "bitlayer finality 0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060",
  );
}

const MEANING: Record<Finality["level"], string> = {
  pending: "in the pool, not in a block yet",
  soft: "in an L2 block; its batch is not anchored on Bitcoin yet",
  anchored: "its batch's claim has its confirmations on Bitcoin",
  hard: "final: the challenge window closed, or the proof verified",
  invalidated: "its batch was disproved",
};

export function finalityText(f: Finality & { bitcoinHeight: number }): string {
  let window: string | undefined;
  if (f.windowClosesAt !== null) {
    const left = f.windowClosesAt - f.bitcoinHeight;
    window = `Bitcoin height ${f.windowClosesAt} (${left > 0 ? `in ${plural(left, "block")}` : "closed"})`;
  }
  return fields([
    ["Level", `${f.level} (${MEANING[f.level]})`],
    ["Transaction", f.transactionHash],
    ["Block", f.blockNumber === null ? "-" : `${blockNo(f.blockNumber)} ${f.blockHash}`],
    ["Batch", f.batch === null ? "- (not sealed yet)" : `#${f.batch}`],
    [
      "Claim",
      f.claim === null
        ? "- (not posted yet)"
        : `${f.claim.txid} at Bitcoin height ${f.claim.height} (${plural(f.claim.confirmations, "confirmation")})`,
    ],
    ["Window closes at", window ?? "-"],
    ["Invalidated", f.invalidated ?? undefined],
  ]);
}
