/**
 * SIMULATED Bitcoin: an in-process, regtest-like chain for the devnet. Its data is real (blocks and
 * transactions built and parsed with bitcoinjs-lib, 80-byte headers, merkle roots, BIP34 heights, BIP141
 * witness commitments, proof of work at regtest difficulty), but there is no network, no peers, no reorgs
 * and no general script interpreter. Signature-checked spends: P2WPKH, P2TR key path, and P2TR script
 * path for three tapscript leaf templates (`<key> OP_CHECKSIG`, `<n> OP_CHECKSEQUENCEVERIFY OP_DROP
 * <key> OP_CHECKSIG`, `<32-byte data> OP_DROP <key> OP_CHECKSIG`) with the BIP341 control block and
 * BIP112 relative locks enforced as Core does; any other spend is refused (`bad-txns-nonstandard-inputs`)
 * rather than accepted unchecked. Relative (BIP68) and absolute (nLockTime) time locks, coinbase
 * maturity, amounts and the minimum relay fee are checked as Core's mempool does. Policy not simulated:
 * replacement (a conflict is simply refused), ancestor/descendant and sigop limits, and Core's witness
 * standardness (IsWitnessStandard: annexes and tapscript stack items over 80 bytes are accepted here).
 * State can be captured as plain data (capture/restore) or snapshotted in memory (snapshot/rollback,
 * which undoes only the blocks mined since, from per-block undo data).
 *
 * @module
 */
import { type Block, Transaction } from "bitcoinjs-lib";
import { buildBlock, regtestGenesis } from "./blocks.js";
import { type ChainData, connectBlock, disconnectTip, emptyChainData, indexBlock } from "./chaindata.js";
import { type Coin, equalBytes, isUnspendable, outpointKey, type Prevout, prevoutTxid } from "./coins.js";
import { BitcoinChainError, BitcoinTxRejected } from "./errors.js";
import { blockHashOf, ChainTransaction, txidOf, weightOf, wtxidOf } from "./ids.js";
import { isFinalTx, medianTimePast, sequenceLocksSatisfied } from "./locktime.js";
import { Mempool, type MempoolSnapshot } from "./mempool.js";
import { blockSubsidy, COINBASE_MATURITY, COINBASE_WEIGHT_RESERVE, MAX_BLOCK_WEIGHT, MAX_MONEY, MIN_RELAY_FEE_PER_KVB } from "./params.js";
import { checkTransactionShape, formatMoney } from "./policy.js";
import { verifyInputSignatures } from "./signatures.js";
import { type BitcoinChainState, parseState, stateOf } from "./state.js";

/** What accepting (or test-accepting) a transaction reports. */
export interface AcceptResult {
  txid: string;
  wtxid: string;
  /** Fee in satoshis. */
  fee: bigint;
  vsize: number;
  weight: number;
}

/** Where a transaction is: in a block (with its height and position) or in the mempool. */
export interface TransactionLocation {
  tx: Transaction;
  /** Block height, or undefined while in the mempool. */
  height?: number;
  blockHash?: string;
  index?: number;
}

/** Options of {@link BitcoinChain.mine}. */
export interface MineOptions {
  /** Header time in UNIX seconds; raised to median time past + 1 when needed, as Bitcoin Core's miner does. */
  timestamp: number;
  /** The coinbase output's script (e.g. `payments.p2wpkh({ pubkey }).output`). */
  payoutScript: Uint8Array;
  /** Number of blocks (default 1); the mempool goes into the first ones by fee rate. */
  count?: number;
}

/** Settings of a {@link BitcoinChain}: configuration, not state (capture/restore leave them alone). */
export interface BitcoinChainOptions {
  /** Block weight limit used when assembling blocks (default: consensus 4,000,000). */
  maxBlockWeight?: number;
}

declare const snapshotBrand: unique symbol;

/** An opaque snapshot of a {@link BitcoinChain}, valid only for the chain that took it. */
export interface BitcoinSnapshot {
  readonly [snapshotBrand]: true;
}

/** What a {@link BitcoinSnapshot} stands for: the tip it was taken at and the mempool then. */
interface SnapshotRecord {
  /** The chain's restore count then: a restore replaces the history, so older snapshots are not of it. */
  epoch: number;
  height: number;
  tipId: string;
  mempool: MempoolSnapshot;
}

/**
 * A simulated regtest-like Bitcoin chain: genesis, mining, a UTXO set and a mempool that refuses
 * invalid transactions with Bitcoin Core's reject reasons. Deterministic: the same calls give the same
 * block hashes. Time is whatever the caller passes to {@link BitcoinChain.mine}.
 *
 * @example
 * ```ts
 * const chain = new BitcoinChain();
 * const payout = payments.p2wpkh({ pubkey: key.publicKey }).output!;
 * chain.mine({ timestamp: 1_700_000_000, payoutScript: payout, count: 101 });
 * try {
 *   const { txid, fee } = chain.acceptToMempool(signedTxHex);
 * } catch (err) {
 *   if (err instanceof BitcoinTxRejected && err.reason === "txn-mempool-conflict") { ... }
 * }
 * const [block] = chain.mine({ timestamp: 1_700_000_600, payoutScript: payout });
 * const saved = chain.capture(); // plain JSON-able data
 * chain.restore(saved);
 * const snap = chain.snapshot(); // cheap, in memory
 * chain.mine({ timestamp: 1_700_001_200, payoutScript: payout, count: 10 });
 * chain.rollback(snap); // undoes just those 10 blocks, and puts the mempool back
 * ```
 *
 * Blocks and transactions handed out are the chain's own objects: treat them as read-only.
 */
export class BitcoinChain {
  private data: ChainData;
  private readonly maxBlockWeight: number;
  private epoch = 0;
  private readonly snapshots = new WeakMap<BitcoinSnapshot, SnapshotRecord>();

  constructor(options: BitcoinChainOptions = {}) {
    const weight = options.maxBlockWeight ?? MAX_BLOCK_WEIGHT;
    if (!Number.isSafeInteger(weight) || weight <= COINBASE_WEIGHT_RESERVE || weight > MAX_BLOCK_WEIGHT) {
      throw new BitcoinChainError(`maxBlockWeight must be an integer in (${COINBASE_WEIGHT_RESERVE}, ${MAX_BLOCK_WEIGHT}]`);
    }
    this.maxBlockWeight = weight;
    this.data = emptyChainData();
    connectBlock(this.data, regtestGenesis(), true);
  }

  /** Height of the tip (0 = genesis only). */
  get height(): number {
    return this.data.blocks.length - 1;
  }

  /** Hash of the tip, display order. */
  get tipHash(): string {
    return this.data.ids[this.height];
  }

  /** A block by height or by hash, or undefined. */
  getBlock(heightOrHash: number | string): Block | undefined {
    const height = typeof heightOrHash === "number" ? heightOrHash : this.data.heightById.get(heightOrHash);
    return height === undefined ? undefined : this.data.blocks[height];
  }

  /** The height of a block hash, or undefined. */
  heightOf(hash: string): number | undefined {
    return this.data.heightById.get(hash);
  }

  /** A transaction in a block or in the mempool. */
  getTransaction(txid: string): TransactionLocation | undefined {
    const pos = this.data.txIndex.get(txid);
    if (pos) {
      const tx = this.data.blocks[pos.height].transactions![pos.index];
      return { tx, height: pos.height, blockHash: this.data.ids[pos.height], index: pos.index };
    }
    const entry = this.data.mempool.get(txid);
    return entry ? { tx: entry.tx } : undefined;
  }

  /** A confirmed unspent output, or undefined (spent, unknown or unconfirmed). */
  getCoin(txid: string, vout: number): Readonly<Coin> | undefined {
    return this.data.utxos.get(outpointKey(txid, vout));
  }

  /** All confirmed unspent outputs, ordered by outpoint. */
  listCoins(): { txid: string; vout: number; coin: Readonly<Coin> }[] {
    return this.data.utxos.entries().map(([key, coin]) => {
      const [txid, vout] = key.split(":");
      return { txid, vout: Number(vout), coin };
    });
  }

  /** Mempool transactions in arrival order, with their fees. */
  mempoolEntries(): { txid: string; tx: Transaction; fee: bigint; vsize: number; weight: number }[] {
    return this.data.mempool.list().map(({ txid, tx, fee, vsize, weight }) => ({ txid, tx, fee, vsize, weight }));
  }

  /** Median of the timestamps of the 11 blocks ending at `height` (BIP113). */
  medianTimePast(height: number = this.height): number {
    return medianTimePast(this.data.blocks, height);
  }

  /**
   * Validates a transaction (raw hex or parsed) against the tip and adds it to the mempool.
   * @throws {BitcoinTxRejected} with Bitcoin Core's reason; nothing changes then.
   */
  acceptToMempool(raw: string | Transaction): AcceptResult {
    const { tx, result } = this.validate(this.data, raw);
    this.data.mempool.add({ tx, txid: result.txid, fee: result.fee, vsize: result.vsize, weight: result.weight });
    return result;
  }

  /** The same checks as {@link acceptToMempool}, changing nothing (Core's testmempoolaccept). */
  testAccept(raw: string | Transaction): AcceptResult {
    return this.validate(this.data, raw).result;
  }

  /**
   * Mines `count` blocks paying subsidy and fees to `payoutScript`; mempool transactions go in by fee
   * rate within the block weight limit. Returns the new blocks.
   */
  mine(options: MineOptions): Block[] {
    const count = options.count ?? 1;
    if (!Number.isSafeInteger(count) || count < 0) throw new BitcoinChainError(`invalid block count: ${count}`);
    if (!Number.isSafeInteger(options.timestamp) || options.timestamp < 0 || options.timestamp > 0xffffffff) {
      throw new BitcoinChainError(`invalid timestamp: ${options.timestamp}`);
    }
    if (!(options.payoutScript instanceof Uint8Array) || options.payoutScript.length > 10_000) {
      throw new BitcoinChainError("payoutScript must be a script (Uint8Array)");
    }
    const mined: Block[] = [];
    for (let i = 0; i < count; i++) {
      const s = this.data;
      const height = this.height + 1;
      const entries = s.mempool.select(this.maxBlockWeight - COINBASE_WEIGHT_RESERVE);
      const fees = entries.reduce((sum, e) => sum + e.fee, 0n);
      const block = buildBlock({
        height,
        prevHash: blockHashOf(s.blocks[height - 1]),
        timestamp: Math.max(options.timestamp, this.medianTimePast() + 1),
        payoutScript: options.payoutScript,
        coinbaseValue: blockSubsidy(height) + fees,
        transactions: entries.map((e) => e.tx),
      });
      connectBlock(s, block, false);
      mined.push(block);
    }
    return mined;
  }

  /** The whole state (blocks, UTXO set, mempool) as plain JSON-serializable data. */
  capture(): BitcoinChainState {
    return stateOf(this.data.blocks, this.data.utxos, this.data.mempool);
  }

  /**
   * Replaces the whole state with a captured one. All-or-nothing: on malformed data a
   * {@link BitcoinChainError} is thrown and the chain is unchanged.
   */
  restore(state: BitcoinChainState): void {
    const parsed = parseState(state);
    const next = emptyChainData();
    parsed.blocks.forEach((block, height) => {
      if (height === 0 ? block.getId() !== this.data.ids[0] : !equalBytes(block.prevHash!, next.blocks[height - 1].getHash())) {
        throw new BitcoinChainError(`captured block ${height} does not extend the chain`);
      }
      if (!block.checkProofOfWork() || !block.checkTxRoots())
        throw new BitcoinChainError(`captured block ${height} fails its proof of work or merkle roots`);
      indexBlock(next, block);
    });
    for (const [key, coin] of parsed.utxos) next.utxos.add(key, coin);
    for (const tx of parsed.mempool) {
      try {
        const { result } = this.validate(next, tx);
        next.mempool.add({ tx, txid: result.txid, fee: result.fee, vsize: result.vsize, weight: result.weight });
      } catch (err) {
        throw new BitcoinChainError(`captured mempool transaction is invalid: ${(err as Error).message}`);
      }
    }
    this.data = next;
    this.epoch++;
  }

  /**
   * Notes the current tip and mempool, cheaply (no copy of the chain; the mempool is copied). Any
   * number of snapshots can be outstanding; {@link rollback} returns to one.
   */
  snapshot(): BitcoinSnapshot {
    const snap = Object.freeze({}) as BitcoinSnapshot;
    this.snapshots.set(snap, { epoch: this.epoch, height: this.height, tipId: this.tipHash, mempool: this.data.mempool.snapshot() });
    return snap;
  }

  /** Whether {@link rollback} can return to `snap`: taken on this chain, and its tip still in the chain's history. */
  canRollback(snap: BitcoinSnapshot): boolean {
    const record = this.snapshots.get(snap);
    if (!record || record.epoch !== this.epoch || record.height > this.height || this.data.ids[record.height] !== record.tipId)
      return false;
    for (let h = record.height + 1; h <= this.height; h++) if (!this.data.undo[h]) return false;
    return true;
  }

  /**
   * Returns to a snapshot: disconnects the blocks mined since (in time proportional to them) and puts
   * back the mempool as it was. Older snapshots stay usable; younger ones too while their tip is still
   * in the history.
   * @throws {BitcoinChainError} if `snap` is not of this chain's current history ({@link canRollback});
   * nothing changes then.
   */
  rollback(snap: BitcoinSnapshot): void {
    if (!this.canRollback(snap)) {
      throw new BitcoinChainError("snapshot is not of this chain's history (another chain, a restored state, or a tip since abandoned)");
    }
    const record = this.snapshots.get(snap)!;
    while (this.height > record.height) disconnectTip(this.data);
    this.data.mempool = Mempool.fromSnapshot(record.mempool);
  }

  /** Bitcoin Core's mempool acceptance checks, in its order, against `s` at its tip. */
  private validate(s: ChainData, raw: string | Transaction): { tx: Transaction; result: AcceptResult } {
    let tx: Transaction;
    if (typeof raw === "string") {
      try {
        if (!/^([0-9a-fA-F]{2})+$/.test(raw)) throw new Error("not hex");
        tx = ChainTransaction.copyOf(Transaction.fromHex(raw));
      } catch {
        throw new BitcoinTxRejected("TX decode failed");
      }
    } else tx = ChainTransaction.copyOf(raw); // the mempool keeps its own copy
    const txid = txidOf(tx);
    const reject = (reason: string, debug?: string) => new BitcoinTxRejected(reason, debug, txid);
    checkTransactionShape(tx, txid);
    const tipHeight = s.blocks.length - 1;
    const spendHeight = tipHeight + 1;
    const mtpAt = (h: number) => medianTimePast(s.blocks, h);
    const tipMtp = mtpAt(tipHeight);
    if (!isFinalTx(tx, spendHeight, tipMtp)) throw reject("non-final");
    if (s.mempool.has(txid)) throw reject("txn-already-in-mempool");
    for (const input of tx.ins) {
      if (s.mempool.spenderOf(outpointKey(prevoutTxid(input.hash), input.index))) throw reject("txn-mempool-conflict");
    }
    const coins: Coin[] = [];
    for (const input of tx.ins) {
      const parentId = prevoutTxid(input.hash);
      const confirmed = s.utxos.get(outpointKey(parentId, input.index));
      const parentOut = s.mempool.get(parentId)?.tx.outs[input.index];
      const coin =
        confirmed ??
        (parentOut && !isUnspendable(parentOut.script)
          ? { value: parentOut.value, script: parentOut.script, height: spendHeight, coinbase: false }
          : undefined);
      if (!coin) {
        if (s.txIndex.has(txid)) throw reject("txn-already-known");
        throw reject("bad-txns-inputs-missingorspent");
      }
      coins.push(coin);
    }
    if (
      !sequenceLocksSatisfied(
        tx,
        coins.map((c) => c.height),
        spendHeight,
        tipMtp,
        mtpAt,
      )
    ) {
      throw reject("non-BIP68-final");
    }
    let valueIn = 0n;
    for (const coin of coins) {
      if (coin.coinbase && spendHeight - coin.height < COINBASE_MATURITY) {
        throw reject("bad-txns-premature-spend-of-coinbase", `tried to spend coinbase at depth ${spendHeight - coin.height}`);
      }
      valueIn += coin.value;
      if (coin.value < 0n || coin.value > MAX_MONEY || valueIn > MAX_MONEY) throw reject("bad-txns-inputvalues-outofrange");
    }
    const valueOut = tx.outs.reduce((sum, out) => sum + out.value, 0n);
    if (valueIn < valueOut)
      throw reject("bad-txns-in-belowout", `value in (${formatMoney(valueIn)}) < value out (${formatMoney(valueOut)})`);
    const fee = valueIn - valueOut;
    const { weight, vsize } = weightOf(tx);
    const minFee = (MIN_RELAY_FEE_PER_KVB * BigInt(vsize)) / 1000n;
    if (fee < minFee) throw reject("min relay fee not met", `${fee} < ${minFee}`);
    const prevouts: Prevout[] = coins.map((c) => ({ script: c.script, value: c.value }));
    verifyInputSignatures(tx, prevouts, txid);
    return { tx, result: { txid, wtxid: wtxidOf(tx), fee, vsize, weight } };
  }
}
