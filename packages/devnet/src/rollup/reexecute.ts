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
 * `own` is a VM of the watcher's to reuse (a copy costs ~2 ms); by default a new one.
 *
 * @example
 * const root = await reexecuteBatch(chain, [...chain.store.range(5n, 9n)]);
 */
export async function reexecuteBatch(chain: L2Chain, blocks: readonly StoredBlock[], own?: VM): Promise<string> {
  const first = blocks[0];
  if (!first) throw new Error("a batch has at least one block");
  const vm = own ?? (await chain.vmAt(first.preStateRoot, `the state before block ${first.number}`));
  const state = vm.stateManager;
  if (!(await state.hasStateRoot(first.preStateRoot))) throw new Error(`the state before block ${first.number} is not available`);
  // Mined transactions are replayed: their admission was checked when they were mined.
  const replay = { allowSenderWithCode: true };
  // The root after the blocks so far. A block without transactions leaves the state as it found it
  // (Bitlayer pays no block reward), so runs of empty blocks (hardhat_mine) cost nothing to check.
  let root = first.preStateRoot;
  let synced = false;
  for (const stored of blocks) {
    if (!equalsBytes(root, stored.preStateRoot)) {
      root = stored.preStateRoot;
      synced = false;
    }
    if (stored.transactions.length === 0) continue;
    if (!synced || !equalsBytes(await state.getStateRoot(), root)) await state.setStateRoot(root);
    const context = replayContext(chain.common, stored.block.header);
    await state.checkpoint();
    let gasUsed = 0n;
    for (const tx of stored.transactions) gasUsed += (await executeTx(vm, tx, context, gasUsed, replay)).totalGasSpent;
    await state.commit();
    root = await state.getStateRoot();
    synced = true;
  }
  return bytesToHex(root);
}
