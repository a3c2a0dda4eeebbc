/**
 * The settlement layer at work, one Bitcoin block at a time: the operator seals L2 blocks into batches
 * and claims them on Bitcoin, the watcher re-executes every batch and disputes a wrong claim, windows
 * close, and a successful disproof halts the L2. Loaded lazily (it pulls in bitcoinjs-lib).
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { VM } from "@ethereumjs/vm";
import type { Transaction } from "bitcoinjs-lib";
import { type BitcoinChain, BitcoinTxRejected } from "../bitcoin/index.js";
import { BridgeEngine, type BridgeHost } from "../bridge/engine.js";
import type { BridgeConfig, BridgeData } from "../bridge/types.js";
import { bytesToHex } from "../hex.js";
import type { L2Chain } from "../l2/chain.js";
import type { StoredBlock } from "../l2/types.js";
import { type BatchHeader, batchCommitment, batchTransactionsRoot } from "./commitment.js";
import {
  buildAssert,
  buildChallenge,
  buildClaim,
  buildDisprove,
  buildTake,
  buildTake2,
  type ClaimParams,
  connectorOutput,
  type Outpoint,
  type ProofMode,
  type ProtocolKeys,
  simulatedProof,
} from "./protocol.js";
import { Reexecution, reexecuteBatch } from "./reexecute.js";
import { devnetKey, schnorrKey, type TaprootOutput } from "./taproot.js";
import type { BatchRecord, HaltInfo, TxRef } from "./types.js";

/** Settings of the settlement layer (configuration: snapshots leave them alone). */
export interface SettlementConfig {
  /** Seconds of virtual time between two scheduled Bitcoin blocks. */
  bitcoinBlockTime: number;
  /** Confirmations that make a claim (and its blocks) anchored. */
  confirmations: number;
  /** The challenge window, in Bitcoin blocks after the claim. */
  windowBlocks: number;
  /** Blocks after an Assert before the operator may take it back unanswered (Take-2). */
  assertBlocks: number;
  proofMode: ProofMode;
}

/** What the engine changes between Bitcoin blocks, as plain data (snapshots, state files). */
export interface SettlementData {
  batches: BatchRecord[];
  claimChain: number;
  /** Output the next claim spends: the last claim's connector, or operator funds. */
  connector: { txid: string; vout: number; value: string };
  watcher: boolean;
  /** Post-state root the operator will put in its next claim instead of the true one ("" for a made-up one). */
  fraud?: string;
  halt?: HaltInfo;
  bridge: BridgeData;
}

/** The protocol's well-known keys: devnet keys, public on purpose, like Hardhat's accounts. */
export function protocolKeys(): ProtocolKeys {
  const key = (label: string) => schnorrKey(devnetKey(label));
  return { operator: key("operator"), challenger: key("watcher") };
}

/** Whether a batch is settled for good: final, disproved, invalidated, or its proof checked. */
function settled(b: BatchRecord): boolean {
  return b.invalidated !== undefined || b.take?.height !== undefined || b.proofVerified !== undefined || b.disprove?.height !== undefined;
}

/** Most blocks the watcher runs ahead of a batch's sealing (see keepUp). */
export const MAX_RUN_AHEAD = 5_000n;
/** The biggest block (gas used) the watcher runs in an idle moment: ~10 transfers, a millisecond or two. */
export const MAX_KEEP_UP_GAS = 250_000n;

/** What a step with nothing asynchronous returns. */
const DONE: Promise<void> = Promise.resolve();

export class SettlementEngine implements BridgeHost {
  readonly keys = protocolKeys();
  readonly bridge: BridgeEngine;
  private readonly connectorOut: TaprootOutput;
  private firstOpen = 0;
  /** A censorship halt decided while building a Bitcoin block: it takes effect, naming that block, once it is mined. */
  private pendingHalt: Omit<HaltInfo, "bitcoinHeight" | "bitcoinBlock"> | undefined;
  /**
   * The Bitcoin height before which act() found it has nothing to do, for that data, batch count and watcher
   * setting (only act() posts against a batch; other changes only settle batches): a week's warp then looks
   * at its open batches when a window closes instead of at each of its 1008 blocks.
   */
  private quiet: { data: SettlementData; batches: number; watcher: boolean; until: number } | undefined;
  /** The same for observe(): the tip before which it has nothing to record, for that data, batch count, posts and halt. */
  private observeQuiet: { data: SettlementData; batches: number; posts: number; halt: HaltInfo | undefined; until: number } | undefined;
  /** Protocol transactions posted so far: a new one is something observe() must look for. */
  private posts = 0;
  /** The watcher's own VM, over the L2's state database (a new one when a reset or load replaced it). */
  private watcher: { base: VM; vm: Promise<VM> } | undefined;
  /** The watcher's run over the blocks not yet in a batch, kept up while the server is idle (see keepUp). */
  private run: Reexecution | undefined;
  /** Blocks the watcher had run by the time their batches were sealed (see keepUp): sealing ran only the rest. */
  keptUp = 0;

  constructor(
    readonly config: SettlementConfig,
    bridgeConfig: BridgeConfig,
    readonly bitcoin: BitcoinChain,
    readonly l2: L2Chain,
    public data: SettlementData,
    private readonly onHalt: (halt: HaltInfo | undefined) => void,
  ) {
    this.connectorOut = connectorOutput(this.keys);
    this.bridge = new BridgeEngine(bridgeConfig, this, () => this.data.bridge);
  }

  get batches(): readonly BatchRecord[] {
    return this.data.batches;
  }

  halted(): HaltInfo | undefined {
    return this.data.halt;
  }

  finalizedBlock(): bigint {
    return this.levels().finalized;
  }

  /**
   * Halts the L2 because a forced transaction was left out past its window: batches after the last
   * hard-final block (`rollbackTo`, the state the request is honoured from) are no longer valid. The halt is
   * announced once the Bitcoin block being built is mined (the halt names it).
   */
  halt(reason: string, forced: string, rollbackTo: bigint): void {
    if (this.data.halt || this.pendingHalt) return;
    this.pendingHalt = { forced, rollbackTo: rollbackTo.toString(), reason };
    for (const b of this.data.batches) {
      if (BigInt(b.lastBlock) > rollbackTo && !this.isFinal(b)) {
        b.invalidated ??= { reason: `sealed after L2 block ${rollbackTo}, the last hard-final one when the L2 halted: ${reason}` };
      }
    }
  }

  private tx(ref: TxRef | undefined): Transaction {
    const found = ref && this.bitcoin.getTransaction(ref.txid);
    if (!found) throw new Error(`protocol transaction ${ref?.txid} not found`);
    return found.tx;
  }

  private params(b: BatchRecord): ClaimParams {
    return {
      mode: b.mode,
      chain: b.chain,
      batch: b.index,
      commitment: Buffer.from(b.commitment.slice(2), "hex"),
      windowBlocks: b.windowBlocks,
      proof: b.proof ? Buffer.from(b.proof.slice(2), "hex") : undefined,
    };
  }

  /** Puts a protocol transaction into the mempool; false when Bitcoin refuses it (e.g. it lost a race). */
  private post(tx: Transaction): TxRef | undefined {
    this.posts++;
    try {
      return { txid: this.bitcoin.acceptToMempool(tx).txid };
    } catch (error) {
      if (error instanceof BitcoinTxRejected) return undefined;
      throw error;
    }
  }

  /**
   * One Bitcoin block at virtual time `time`: first every actor puts in what is due (the claim of a
   * new batch, Takes of closed windows, challenges, asserts, disproofs), then the block is mined, then
   * the records learn their heights.
   */
  step(time: number, payoutScript: Uint8Array): Promise<void> {
    // Synchronous unless there is async work (sealing a batch, an escape): most blocks of a warp have none,
    // and an async function would cost each of them a promise and a resumption.
    try {
      if (!this.data.halt && this.unsealedBlock(time)) return this.sealAndClaim(time).then(() => this.afterSealing(time, payoutScript));
      return this.afterSealing(time, payoutScript) ?? DONE;
    } catch (error) {
      return Promise.reject(error); // failing as an async function would: in the promise
    }
  }

  /** The rest of {@link step}: a promise only while an escape runs. */
  private afterSealing(time: number, payoutScript: Uint8Array): Promise<void> | undefined {
    this.act();
    const escaping = this.bridge.beforeMine(time);
    if (escaping) return escaping.then(() => this.mineAndObserve(time, payoutScript));
    this.mineAndObserve(time, payoutScript);
    return undefined;
  }

  private mineAndObserve(time: number, payoutScript: Uint8Array): void {
    this.bitcoin.mine({ timestamp: time, payoutScript });
    if (this.pendingHalt) {
      this.data.halt = { ...this.pendingHalt, bitcoinHeight: this.bitcoin.height, bitcoinBlock: this.bitcoin.tipHash };
      this.pendingHalt = undefined;
      this.onHalt(this.data.halt);
    }
    this.observe();
    this.bridge.observeBlock();
  }

  /** Whether an L2 block not yet in a batch is due for sealing at `cutoff` (what sealAndClaim's first step finds). */
  private unsealedBlock(cutoff: number): boolean {
    const store = this.l2.store;
    const from = this.lastSealed() + 1n;
    return from <= store.height && (store.byNumber(from) as StoredBlock).block.header.timestamp <= BigInt(cutoff);
  }

  private async sealAndClaim(cutoff: number): Promise<void> {
    const store = this.l2.store;
    const from = this.lastSealed() + 1n;
    let last = from - 1n;
    for (let n = from; n <= store.height; n++) {
      if ((store.byNumber(n) as StoredBlock).block.header.timestamp > BigInt(cutoff)) break;
      last = n;
    }
    if (last < from) return;
    const blocks = [...store.range(from, last)];
    // Blocks whose pre-state predates a state load (a file keeps only the latest state) cannot be run
    // again: the watcher then holds the claim to the blocks' own headers.
    const vm = await this.watcherVm();
    const runnable = await vm.stateManager.hasStateRoot(blocks[0].preStateRoot);
    const executedRoot = runnable ? await this.batchRoot(blocks, vm) : bytesToHex(blocks[blocks.length - 1].block.header.stateRoot);
    const trueRoot = bytesToHex(blocks[blocks.length - 1].block.header.stateRoot);
    const fraudulent = this.data.fraud !== undefined;
    const claimedRoot = fraudulent
      ? this.data.fraud || `0x${createHash("sha256").update("fraud").update(trueRoot).digest("hex")}`
      : trueRoot;
    const header: BatchHeader = {
      index: this.data.batches.length,
      firstBlock: from,
      lastBlock: last,
      preStateRoot: bytesToHex(blocks[0].preStateRoot),
      postStateRoot: claimedRoot,
      transactionsRoot: batchTransactionsRoot(blocks.map((b) => bytesToHex(b.block.header.transactionsTrie))),
      withdrawalsRoot: this.bridge.seal(this.data.batches.length, blocks),
    };
    const commitment = batchCommitment(header);
    const mode = this.config.proofMode;
    const record: BatchRecord = {
      index: header.index,
      chain: this.data.claimChain,
      mode,
      firstBlock: from.toString(),
      lastBlock: last.toString(),
      preStateRoot: header.preStateRoot,
      postStateRoot: claimedRoot,
      transactionsRoot: header.transactionsRoot,
      withdrawalsRoot: header.withdrawalsRoot,
      commitment: bytesToHex(commitment),
      executedRoot,
      reexecuted: runnable,
      fraudulent,
      windowBlocks: mode === "optimistic" ? this.config.windowBlocks : 0,
      claim: { txid: "" },
      // The prover proves what its own execution gives; a wrong claimed root then fails verification.
      proof: mode === "validity" ? bytesToHex(simulatedProof(commitment, executedRoot)) : undefined,
    };
    const c = this.data.connector;
    const funding: Outpoint = { txid: c.txid, vout: c.vout, value: BigInt(c.value), script: this.connectorOut.script };
    const claim = buildClaim(this.keys, this.params(record), funding, this.connectorOut);
    const posted = this.post(claim);
    if (!posted) throw new Error(`the operator's claim for batch ${record.index} was refused by Bitcoin`);
    record.claim = posted;
    this.data.batches.push(record);
    this.data.connector = { txid: posted.txid, vout: 0, value: claim.outs[0].value.toString() };
    this.data.fraud = undefined;
  }

  /**
   * The watcher's post-state root of a batch: its kept-up run, taken on to the batch's end, where that run
   * started at the batch's first block and has not run past its last; otherwise a run of the whole batch.
   */
  private async batchRoot(blocks: readonly StoredBlock[], vm: VM): Promise<string> {
    const last = blocks[blocks.length - 1];
    const run = await this.currentRun(blocks[0].number, vm);
    this.run = undefined;
    if (!run || (run.last as StoredBlock).number > last.number) {
      await run?.abandon();
      return reexecuteBatch(this.l2, blocks, vm);
    }
    this.keptUp += Number((run.last as StoredBlock).number - blocks[0].number) + 1;
    for (const stored of blocks) if (stored.number > (run.last as StoredBlock).number) await run.add(stored);
    return run.finish();
  }

  /**
   * Runs the watcher over the next L2 block not yet in a batch, ahead of the sealing: the server calls this
   * when it has nothing to answer, so that sealing a batch then runs only the blocks it has not run yet.
   * Blocks stamped after `cutoff` (the next Bitcoin block's time) are left: they may belong to a later
   * batch. Whether it ran a block. Call inside `chain.exclusive`.
   */
  async keepUp(cutoff: number): Promise<boolean> {
    if (this.data.halt) return false;
    const from = this.lastSealed() + 1n;
    const vm = await this.watcherVm();
    const run = await this.currentRun(from, vm);
    // A run holds what it changed until the sealing: a batch of a day's blocks is left to the sealing past this.
    if (run && (run.last as StoredBlock).number - run.first.number >= MAX_RUN_AHEAD) return false;
    const next = this.l2.store.byNumber(run ? (run.last as StoredBlock).number + 1n : from);
    if (!next || next.block.header.timestamp > BigInt(cutoff)) return false;
    // An idle moment is short (the client's turn): a bigger block, which a burst of requests makes, would hold
    // up the next burst as long as it took to mine. It and the rest of its batch are left to the sealing.
    if (next.block.header.gasUsed > MAX_KEEP_UP_GAS) return false;
    try {
      if (run) await run.add(next);
      else if (await vm.stateManager.hasStateRoot(next.preStateRoot)) {
        const started = await Reexecution.start(this.l2, next, vm);
        await started.add(next);
        this.run = started;
      } else return false;
    } catch (error) {
      // Sealing runs the batch from its start and meets whatever failed here.
      await this.run?.abandon();
      this.run = undefined;
      throw error;
    }
    return true;
  }

  /**
   * The kept-up run, if it still covers the chain from block `from` on with `vm`: a revert, a recovery or a
   * load that replaced its blocks, a sealed batch, or a new watcher VM (a reset) ends it.
   */
  private async currentRun(from: bigint, vm: VM): Promise<Reexecution | undefined> {
    const run = this.run;
    if (!run) return undefined;
    const store = this.l2.store;
    const last = run.last as StoredBlock;
    if (run.vm === vm && run.first.number === from && store.byNumber(from) === run.first && store.byNumber(last.number) === last)
      return run;
    this.run = undefined;
    await run.abandon();
    return undefined;
  }

  private watcherVm(): Promise<VM> {
    if (this.watcher?.base !== this.l2.vm) this.watcher = { base: this.l2.vm, vm: this.l2.vm.shallowCopy() };
    return this.watcher.vm;
  }

  /**
   * The last L2 block already in a batch: the end of the newest batch a recovery did not roll back
   * (after a recovery, the end of the last valid batch, which is where the L2 was rolled back to).
   */
  lastSealed(): bigint {
    const batches = this.data.batches;
    for (let i = batches.length - 1; i >= 0; i--) if (!batches[i].rolledBack) return BigInt(batches[i].lastBlock);
    return 0n;
  }

  /** Batches still in play (not final, not invalidated), oldest first. */
  private open(): BatchRecord[] {
    const batches = this.data.batches;
    // Batches settle about in order: skip the settled prefix once instead of at every block.
    while (this.firstOpen < batches.length && settled(batches[this.firstOpen])) this.firstOpen++;
    const open: BatchRecord[] = [];
    for (let i = this.firstOpen; i < batches.length; i++) if (!settled(batches[i])) open.push(batches[i]);
    return open;
  }

  private act(): void {
    const next = this.bitcoin.height + 1;
    const quiet = this.quiet;
    if (
      quiet?.data === this.data &&
      quiet.batches === this.data.batches.length &&
      quiet.watcher === this.data.watcher &&
      next < quiet.until
    )
      return;
    let until = Number.POSITIVE_INFINITY;
    for (const b of this.open()) {
      if (b.mode !== "optimistic") continue; // validity batches settle by observe() alone
      if (b.claim.height === undefined) {
        until = next; // the claim may be mined now
        continue;
      }
      // A week's warp visits every open batch at each of its 1008 blocks: the cheap tests come first, and
      // the parameters are built only when a transaction is.
      const windowClosed = next - b.claim.height >= b.windowBlocks;
      if (!b.challenge && !b.take && windowClosed) {
        b.take = this.post(buildTake(this.keys, this.params(b), this.tx(b.claim)));
      } else if (!b.challenge && !windowClosed && this.data.watcher && b.executedRoot !== b.postStateRoot) {
        b.challenge = this.post(buildChallenge(this.keys, this.params(b), this.tx(b.claim)));
      } else if (b.challenge?.height !== undefined && !b.assert) {
        b.assert = this.post(buildAssert(this.keys, this.params(b), this.tx(b.claim), b.postStateRoot, this.config.assertBlocks));
      } else if (b.assert?.height !== undefined && !b.disprove && this.data.watcher && b.executedRoot !== b.postStateRoot) {
        b.disprove = this.post(buildDisprove(this.keys, this.params(b), this.tx(b.assert), b.executedRoot, this.config.assertBlocks));
      } else if (b.assert?.height !== undefined && !b.disprove && !b.take && next - b.assert.height >= this.config.assertBlocks) {
        // Nobody disproved the Assert in time: the operator takes it back, and the batch is final.
        b.take = this.post(buildTake2(this.keys, this.tx(b.assert), this.config.assertBlocks));
      }
      // Quiet until its window closes: a mined claim nobody posted against and the watcher will not challenge.
      const quietBatch = !b.challenge && !b.take && !windowClosed && !(this.data.watcher && b.executedRoot !== b.postStateRoot);
      until = quietBatch ? Math.min(until, b.claim.height + b.windowBlocks) : next;
    }
    this.quiet = { data: this.data, batches: this.data.batches.length, watcher: this.data.watcher, until };
  }

  /** Records the heights of what the last block mined, then what follows from them. */
  private observe(): void {
    const tip = this.bitcoin.height;
    const quiet = this.observeQuiet;
    if (
      quiet?.data === this.data &&
      quiet.batches === this.data.batches.length &&
      quiet.posts === this.posts &&
      quiet.halt === this.data.halt &&
      tip < quiet.until
    )
      return;
    let until = Number.POSITIVE_INFINITY;
    for (const b of this.open()) {
      this.confirm(b.claim);
      this.confirm(b.take);
      this.confirm(b.challenge);
      this.confirm(b.assert);
      this.confirm(b.disprove);
      if (b.mode === "validity" && b.claim.height !== undefined && tip - b.claim.height + 1 >= this.config.confirmations) {
        // Simulated verification: the proof must bind the commitment to the root execution gives.
        b.proofVerified = b.proof === bytesToHex(simulatedProof(Buffer.from(b.commitment.slice(2), "hex"), b.postStateRoot));
        if (!b.proofVerified) this.haltAt(b, `the validity proof of batch ${b.index} failed verification`);
      }
      if (b.disprove?.height !== undefined && !this.data.halt) {
        this.haltAt(b, `batch ${b.index} was disproved by Bitcoin transaction ${b.disprove.txid}`);
      }
      until = Math.min(until, this.nextChange(b, tip));
    }
    this.observeQuiet = { data: this.data, batches: this.data.batches.length, posts: this.posts, halt: this.data.halt, until };
  }

  /**
   * The first tip at which observe() may change `b`: now while any of its transactions waits to be mined
   * or a mined Disprove has not halted the L2; a validity batch's when its claim has its confirmations;
   * never for an optimistic batch with nothing in flight (only a new post changes that).
   */
  private nextChange(b: BatchRecord, tip: number): number {
    const waiting = (ref: TxRef | undefined) => ref !== undefined && ref.height === undefined;
    if (waiting(b.claim) || waiting(b.take) || waiting(b.challenge) || waiting(b.assert) || waiting(b.disprove)) return tip;
    if (b.disprove?.height !== undefined && !this.data.halt) return tip;
    if (b.mode === "validity") return (b.claim.height as number) + this.config.confirmations - 1;
    return Number.POSITIVE_INFINITY;
  }

  /** Records the height of a protocol transaction once it is mined. */
  private confirm(ref: TxRef | undefined): void {
    if (ref && ref.height === undefined) ref.height = this.bitcoin.getTransaction(ref.txid)?.height;
  }

  private haltAt(b: BatchRecord, reason: string): void {
    if (this.data.halt) return;
    const height = this.bitcoin.height;
    this.data.halt = { batch: b.index, bitcoinHeight: height, bitcoinBlock: this.bitcoin.tipHash, reason };
    for (const later of this.data.batches.slice(b.index)) {
      later.invalidated ??= { reason: later === b ? reason : `it follows batch ${b.index}, which was invalidated` };
    }
    this.onHalt(this.data.halt);
  }

  /** Confirmations of a mined transaction (0 while in the mempool). */
  confirmations(ref: TxRef | undefined): number {
    return ref?.height === undefined ? 0 : this.bitcoin.height - ref.height + 1;
  }

  isAnchored(b: BatchRecord): boolean {
    return !b.invalidated && this.confirmations(b.claim) >= this.config.confirmations;
  }

  isFinal(b: BatchRecord): boolean {
    if (b.invalidated) return false;
    return b.mode === "validity" ? b.proofVerified === true : b.take?.height !== undefined;
  }

  /** Heights of the last anchored and the last hard-final L2 block. */
  levels(): { safe: bigint; finalized: bigint } {
    let safe = 0n;
    let finalized = 0n;
    for (const b of this.data.batches) {
      if (this.isAnchored(b) && BigInt(b.lastBlock) > safe) safe = BigInt(b.lastBlock);
      if (this.isFinal(b) && BigInt(b.lastBlock) > finalized) finalized = BigInt(b.lastBlock);
    }
    return { safe, finalized };
  }

  /** The batch holding L2 block `n` (the latest one, after a recovery re-used its number), if sealed. */
  batchOf(n: bigint): BatchRecord | undefined {
    for (let i = this.data.batches.length - 1; i >= 0; i--) {
      const b = this.data.batches[i];
      if (!b.rolledBack && BigInt(b.firstBlock) <= n && n <= BigInt(b.lastBlock)) return b;
    }
    return undefined;
  }

  /** Marks the next claim fraudulent: it will carry `root` (or a made-up root) as its post-state root. */
  injectFraud(root?: string): void {
    this.data.fraud = root ?? "";
  }

  /**
   * The social-consensus path after a halt: back to the end of the last valid batch, a new claim
   * chain (its first claim spends the abandoned chain's last connector: operator funds), running again.
   * Returns the L2 height rolled back to.
   */
  recoverPoint(): bigint {
    const halt = this.data.halt;
    if (!halt) throw new Error("not halted");
    // A censorship halt goes back to the last hard-final block, whose state the forced transaction was honoured on.
    if (halt.batch === undefined) return BigInt(halt.rollbackTo ?? "0");
    return BigInt(this.data.batches[halt.batch].firstBlock) - 1n;
  }

  async resume(height: bigint): Promise<void> {
    for (const b of this.data.batches) {
      if (BigInt(b.lastBlock) <= height) continue;
      b.rolledBack = true;
      b.invalidated ??= { reason: `rolled back by the recovery to L2 block ${height}` };
    }
    await this.bridge.rolledBack(height);
    this.data.halt = undefined;
    this.data.claimChain += 1;
    this.data.fraud = undefined;
    this.onHalt(undefined);
  }

  /** Replaces the engine's data (snapshot revert, state load); the Bitcoin chain is restored by the caller. */
  replaceData(data: SettlementData): void {
    this.data = data;
    this.firstOpen = 0;
  }
}
