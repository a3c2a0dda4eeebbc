import { equalsBytes } from "@ethereumjs/util";
import type { VM } from "@ethereumjs/vm";
import { bytesToHex } from "../hex.js";
import type { L2Chain } from "../l2/chain.js";
import { executeTx } from "../l2/execute.js";
import { replayContext } from "../l2/miner.js";
import type { StoredBlock } from "../l2/types.js";

/** What re-execution gives for a batch one of whose transactions cannot run on its recorded state (an invalid block). */
export const INVALID_BATCH_ROOT = `0x${"00".repeat(32)}`;

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
export async function reexecuteBatch(chain: L2Chain, blocks: readonly StoredBlock[], own?: VM): Promise<string> {
  const first = blocks[0];
  if (!first) throw new Error("a batch has at least one block");
  const run = await Reexecution.start(chain, first, own);
  for (const stored of blocks) await run.add(stored);
  return run.finish();
}

/**
 * {@link reexecuteBatch} a block at a time: the watcher runs blocks as they come and the batch's root is
 * asked for when it is sealed. Blocks are given in order, the first one to `start`, each once.
 */
export class Reexecution {
  /** The last block given. */
  last: StoredBlock | undefined;
  // The state is hashed once, at the end: a root per block would hash the trie at every block. The
  // sequencer's records say where test controls changed the state between two blocks (a block whose
  // pre-state is not its parent's post-state): only there does the run jump to the recorded state.
  // A block without transactions leaves the state as it found it (Bitlayer pays no block reward), so
  // runs of empty blocks (hardhat_mine) cost nothing.
  private jump: Uint8Array | undefined;
  // One checkpoint around a run of blocks: the outermost commit writes the caches into the trie
  // (hashing nodes), so committing per block would hash at every block.
  private open = false;
  private invalid = false;

  private constructor(
    private readonly chain: L2Chain,
    readonly vm: VM,
    readonly first: StoredBlock,
  ) {
    this.jump = first.preStateRoot;
  }

  static async start(chain: L2Chain, first: StoredBlock, own?: VM): Promise<Reexecution> {
    const vm = own ?? (await chain.vmAt(first.preStateRoot, `the state before block ${first.number}`));
    if (!(await vm.stateManager.hasStateRoot(first.preStateRoot)))
      throw new Error(`the state before block ${first.number} is not available`);
    return new Reexecution(chain, vm, first);
  }

  /** Runs one more block of the batch. */
  async add(stored: StoredBlock): Promise<void> {
    const parent = this.last;
    this.last = stored;
    // No state transition exists past a block that cannot run: the batch's root is invalid whatever follows.
    if (this.invalid) return;
    if (parent && !equalsBytes(stored.preStateRoot, parent.block.header.stateRoot)) this.jump = stored.preStateRoot;
    if (stored.transactions.length === 0) return;
    const state = this.vm.stateManager;
    if (this.jump) {
      if (this.open) await state.commit();
      if (!equalsBytes(await state.getStateRoot(), this.jump)) await state.setStateRoot(this.jump);
      await state.checkpoint();
      this.open = true;
      this.jump = undefined;
    }
    const context = replayContext(this.chain.common, stored.block.header);
    await state.checkpoint();
    let gasUsed = 0n;
    try {
      for (const tx of stored.transactions) gasUsed += (await executeTx(this.vm, tx, context, gasUsed, REPLAY)).totalGasSpent;
    } catch {
      // A transaction its recorded state cannot run (a wrong nonce, too little balance): no state
      // transition exists, so no claimed root can be right.
      await state.revert();
      await this.abandon();
      this.invalid = true;
      return;
    }
    await state.commit();
  }

  /** The post-state root of the blocks given: what the batch's claimed root must be. Ends the run. */
  async finish(): Promise<string> {
    if (this.invalid) return INVALID_BATCH_ROOT;
    if (this.open) await this.vm.stateManager.commit();
    this.open = false;
    return bytesToHex(this.jump ?? (await this.vm.stateManager.getStateRoot()));
  }

  /** Gives the run up: the VM is left with none of its checkpoints open. */
  async abandon(): Promise<void> {
    if (this.open) await this.vm.stateManager.revert();
    this.open = false;
  }
}

// Mined transactions are replayed: their admission was checked when they were mined.
const REPLAY = { allowSenderWithCode: true, plain: true };
