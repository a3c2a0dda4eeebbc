import { equalsBytes } from "@ethereumjs/util";
import type { VM } from "@ethereumjs/vm";
import { bytesToHex } from "../hex.js";
import type { L2Chain } from "../l2/chain.js";
import { executeTx } from "../l2/execute.js";
import { replayContext } from "../l2/miner.js";
import type { StoredBlock } from "../l2/types.js";

/**
 * The watcher's (and the simulated prover's) own execution of a batch: a VM of its own, started from
 * the batch's pre-state root, runs every transaction of every block again, and the resulting state
 * root is what the batch's post-state root must be.
 *
 * State changed by test controls between two blocks (hardhat_setBalance & co.) is taken as the
 * sequencer's input, as Hardhat's "irregular state" is: a block whose recorded pre-state differs from
 * the previous block's result starts from its recorded one.
 *
 * `own` is a VM of the watcher's to reuse (a copy costs ~2 ms); by default a new one. A batch with a
 * transaction that cannot run on its recorded state gives INVALID_BATCH_ROOT.
 *
 * @example
 * const root = await reexecuteBatch(chain, [...chain.store.range(5n, 9n)]);
 */
/** What re-execution gives for a batch one of whose transactions cannot run on its recorded state (an invalid block). */
export const INVALID_BATCH_ROOT = `0x${"00".repeat(32)}`;

export async function reexecuteBatch(chain: L2Chain, blocks: readonly StoredBlock[], own?: VM): Promise<string> {
  const first = blocks[0];
  if (!first) throw new Error("a batch has at least one block");
  const vm = own ?? (await chain.vmAt(first.preStateRoot, `the state before block ${first.number}`));
  const state = vm.stateManager;
  if (!(await state.hasStateRoot(first.preStateRoot))) throw new Error(`the state before block ${first.number} is not available`);
  // Mined transactions are replayed: their admission was checked when they were mined.
  const replay = { allowSenderWithCode: true };
  // The state is hashed once, at the end: a root per block would hash the trie at every block. The
  // sequencer's records say where test controls changed the state between two blocks (a block whose
  // pre-state is not its parent's post-state): only there does the run jump to the recorded state.
  // A block without transactions leaves the state as it found it (Bitlayer pays no block reward), so
  // runs of empty blocks (hardhat_mine) cost nothing.
  let jump: Uint8Array | undefined = first.preStateRoot;
  // One checkpoint around a run of blocks: the outermost commit writes the caches into the trie
  // (hashing nodes), so committing per block would hash at every block.
  let open = false;
  for (const [i, stored] of blocks.entries()) {
    const parent = blocks[i - 1];
    if (parent && !equalsBytes(stored.preStateRoot, parent.block.header.stateRoot)) jump = stored.preStateRoot;
    if (stored.transactions.length === 0) continue;
    if (jump) {
      if (open) await state.commit();
      if (!equalsBytes(await state.getStateRoot(), jump)) await state.setStateRoot(jump);
      await state.checkpoint();
      open = true;
      jump = undefined;
    }
    const context = replayContext(chain.common, stored.block.header);
    await state.checkpoint();
    let gasUsed = 0n;
    try {
      for (const tx of stored.transactions) gasUsed += (await executeTx(vm, tx, context, gasUsed, replay)).totalGasSpent;
    } catch {
      // A transaction its recorded state cannot run (a wrong nonce, too little balance): no state
      // transition exists, so no claimed root can be right.
      await state.revert();
      if (open) await state.revert();
      return INVALID_BATCH_ROOT;
    }
    await state.commit();
  }
  if (open) await state.commit();
  return bytesToHex(jump ?? (await state.getStateRoot()));
}
