import { DevnetError } from "../errors.js";
import type { StoredBlock } from "../l2/types.js";
import type { DevnetCore } from "./core.js";

export interface RecoverResult {
  /** The L2 block the chain was rolled back to: the end of the last valid batch. */
  rolledBackTo: bigint;
  droppedBlocks: bigint;
  droppedTransactions: number;
  /** The new claim chain's number. */
  claimChain: number;
}

/**
 * bitlayer_recover, the social-consensus path after a disproof: the L2 goes back to the end of the
 * last valid batch (later blocks and pooled transactions are dropped), the operator starts a new
 * claim chain, and the L2 runs again. Call inside `chain.exclusive`.
 */
export async function recover(core: DevnetCore): Promise<RecoverResult> {
  const engine = core.settlement.loaded;
  if (!engine?.data.halt) throw new DevnetError("NOT_HALTED", "bitlayer_recover: the L2 is not halted; there is nothing to recover from");
  const chain = core.chain;
  const height = engine.recoverPoint();
  const target = chain.store.byNumber(height) as StoredBlock;
  const dropped = chain.store.height - height;
  if (!(await chain.state.hasStateRoot(target.block.header.stateRoot))) {
    throw new DevnetError(
      "NOT_SUPPORTED",
      `bitlayer_recover: the state at block ${height} (the end of the last valid batch) is not available: this devnet was loaded from a state file, which keeps the latest state only. hardhat_reset starts over`,
    );
  }
  const orphans = [...chain.store.range(height + 1n, chain.store.height)];
  await chain.state.setStateRoot(target.block.header.stateRoot);
  chain.store.truncate(height);
  chain.nextTimestamp = undefined;
  const pooled = chain.pool.size;
  chain.restorePool([]);
  await engine.resume(height);
  core.keepOrphans(orphans);
  return { rolledBackTo: height, droppedBlocks: dropped, droppedTransactions: pooled, claimChain: engine.data.claimChain };
}
