import { blockFinality } from "../../../devnet/finality.js";
import { DevnetError } from "../../../errors.js";
import { defineMethod, required } from "../../registry.js";
import { FinalityTargetParam } from "./params.js";

export const bitlayerGetFinality = defineMethod({
  name: "bitlayer_getFinality",
  group: "bitlayer",
  summary:
    "The finality level of a transaction (by hash) or an L2 block (by number or hash): pending (in the pool), soft (in a block), anchored (its batch's claim has the confirmations), hard (the window closed unchallenged, or the proof verified) or invalidated (its batch was disproved), with the batch, the claim's txid and Bitcoin height, and the height at which the window closes.",
  params: [required("target", FinalityTargetParam)],
  returns:
    "{ level, blockNumber, blockHash, transactionHash?, batch, claim: { txid, height, confirmations } | null, windowClosesAt, invalidated }",
  handler: async (ctx, [target]) => {
    const core = ctx.core;
    const engine = await core.settlement.load();
    if (target.kind === "block") {
      if (target.number > core.chain.store.height) {
        throw new DevnetError("UNKNOWN_BLOCK", `block ${target.number} not found: the latest block is ${core.chain.store.height}`);
      }
      return blockFinality(core, engine, target.number);
    }
    const loc = core.chain.store.findTx(target.hash);
    if (loc) return { ...blockFinality(core, engine, loc.block.number), transactionHash: target.hash };
    if (core.chain.pool.get(target.hash)) {
      return {
        level: "pending",
        blockNumber: null,
        blockHash: null,
        transactionHash: target.hash,
        batch: null,
        claim: null,
        windowClosesAt: null,
        invalidated: null,
      };
    }
    const block = core.chain.store.getByHash(target.hash);
    if (block) return blockFinality(core, engine, block.number);
    throw new DevnetError("UNKNOWN_TRANSACTION", `bitlayer_getFinality: no transaction or block ${target.hash}`);
  },
});
