/**
 * The bridge at work, driven by the settlement engine one Bitcoin block at a time and by the L2 at the
 * start of each of its blocks: it feeds the light client with confirmed headers, mints peg-ins, records
 * burns as batches seal them, pays them on Bitcoin once final (or has the broker pay at once and
 * reimburses it), and enforces the force-inclusion window. Loaded with the settlement layer.
 *
 * @module
 */
import { createTx } from "@ethereumjs/tx";
import { createAddressFromString, hexToBytes } from "@ethereumjs/util";
import { Interface } from "ethers/abi";
import type { BitcoinChain } from "../bitcoin/index.js";
import { PREMINE_BLOCKS } from "../devnet/settlement.js";
import { bytesToHex } from "../hex.js";
import type { BlockPrelude, L2Chain } from "../l2/chain.js";
import { executeTx } from "../l2/execute.js";
import { executionBlock } from "../l2/miner.js";
import { libOptions } from "../l2/profile.js";
import { signTx, withSender } from "../l2/transactions.js";
import { createPoolTx, type PoolTx } from "../l2/txpool.js";
import type { StoredBlock } from "../l2/types.js";
import { devnetKey, schnorrKey, taprootOutput } from "../rollup/taproot.js";
import type { BatchRecord, HaltInfo, TxRef } from "../rollup/types.js";
import { buildPayment, type Payer, spendableCoins } from "./payments.js";
import { BITCOIN_BRIDGE, BITCOIN_LIGHT_CLIENT, SYSTEM_ADDRESS } from "./predeploys.js";
import { forcedTransactionOf, pegInsOf } from "./scan.js";
import type { BridgeConfig, BridgeData, DepositRecord, ForcedRecord, WithdrawalRecord } from "./types.js";
import { type BurnEvent, batchWithdrawalsRoot, bridgeInterface, burnsIn, burnsOf } from "./withdrawals.js";

/** Sats the bridge keeps from every peg-out for its Bitcoin transaction's fee. */
export const WITHDRAWAL_FEE_SATS = 1_000n;

/**
 * Most Bitcoin headers one L2 block's system transaction carries: a day of blocks (~24.7k gas and ~1.3 ms
 * each, the storage trie's cost). When more are pending (after a warp), the light client jumps: a new
 * checkpoint that many blocks below the confirmed tip.
 */
export const MAX_HEADERS_PER_BLOCK = 144;

/** Gas limits of system transactions: a header feed (base + per header) and a mint (the recipient's call included). */
const HEADERS_BASE_GAS = 100_000n;
const HEADER_GAS = 40_000n;
const MINT_GAS = 300_000n;

/** The light client's first header (its checkpoint): the first Bitcoin block after the premine. */
export const FIRST_LIGHT_CLIENT_HEIGHT = PREMINE_BLOCKS + 1;

/** Most payments one Bitcoin payout transaction makes. */
const MAX_PAYMENTS_PER_TX = 100;

const lightClientInterface = new Interface(BITCOIN_LIGHT_CLIENT.abi);

/** The bridge's and the broker's Bitcoin keys and key-path Taproot outputs. */
export function bridgePayers(): { bridge: Payer; broker: Payer } {
  const payer = (label: string): Payer => {
    const key = schnorrKey(devnetKey(label));
    return { key, output: taprootOutput(key.xOnly) };
  };
  return { bridge: payer("bridge"), broker: payer("broker") };
}

/** What the settlement engine offers the bridge. */
export interface BridgeHost {
  readonly bitcoin: BitcoinChain;
  readonly l2: L2Chain;
  readonly batches: readonly BatchRecord[];
  isFinal(b: BatchRecord): boolean;
  /** The last hard-final L2 block. */
  finalizedBlock(): bigint;
  halted(): HaltInfo | undefined;
  /** Halts the L2 for a forced transaction left out; a recovery goes back to L2 block `rollbackTo`. */
  halt(reason: string, forced: string, rollbackTo: bigint): void;
}

type PreludeAction =
  | { kind: "headers"; last: number }
  | { kind: "mint"; deposit: DepositRecord }
  | { kind: "forced"; forced: ForcedRecord };

export function emptyBridgeData(): BridgeData {
  return { deposits: [], withdrawals: [], forced: [], lightClientHeight: -1, censoring: false };
}

export class BridgeEngine implements BlockPrelude {
  readonly payers = bridgePayers();
  private readonly systemKey = devnetKey("system");
  /** The prelude transactions of the block being built, by hash. */
  private building = new Map<string, PreludeAction>();
  /**
   * Records before these indexes are settled for good (withdrawals paid, escaped, or invalid with nothing in
   * flight; deposits minted or rejected), for the data object they were counted on: records settle about in
   * order, so the settled prefix is skipped once instead of at every block (a week's warp is 1008 Bitcoin blocks).
   */
  private cursor: { data: BridgeData | undefined; withdrawals: number; deposits: number } = {
    data: undefined,
    withdrawals: 0,
    deposits: 0,
  };

  /** The records of `list` from the first one `settled` does not accept on (the cursor moves past settled ones). */
  private unsettled<T>(list: T[], which: "withdrawals" | "deposits", settled: (record: T) => boolean): T[] {
    if (this.cursor.data !== this.data) this.cursor = { data: this.data, withdrawals: 0, deposits: 0 };
    while (this.cursor[which] < list.length && settled(list[this.cursor[which]])) this.cursor[which]++;
    return list.slice(this.cursor[which]);
  }

  constructor(
    readonly config: BridgeConfig,
    private readonly host: BridgeHost,
    private readonly getData: () => BridgeData,
  ) {}

  get data(): BridgeData {
    return this.getData();
  }

  private get bitcoin(): BitcoinChain {
    return this.host.bitcoin;
  }

  /** Confirmations of a Bitcoin block at `height` (or of what it holds). */
  private depth(height: number): number {
    return this.bitcoin.height - height + 1;
  }

  private ready(height: number): boolean {
    return this.depth(height) >= this.config.depositConfirmations;
  }

  /** Whether nothing more will ever happen to a withdrawal: its payment is mined, or it is invalid and nothing of it is in flight. */
  private isSettled(w: WithdrawalRecord): boolean {
    if (w.escaped) return true;
    if (this.invalid(w)) return w.broker === undefined || w.broker.height !== undefined;
    return w.payout?.height !== undefined;
  }

  /** Withdrawals that may still change, oldest first. */
  private openWithdrawals(): WithdrawalRecord[] {
    return this.unsettled(this.data.withdrawals, "withdrawals", (w) => this.isSettled(w));
  }

  // ---- the Bitcoin side, one block at a time --------------------------------------------------

  /** Reads a newly mined Bitcoin block: peg-ins, forced transactions, and the heights of the bridge's payments. */
  observeBlock(): void {
    const height = this.bitcoin.height;
    const block = this.bitcoin.getBlock(height);
    const bridgeScript = this.payers.bridge.output.script;
    let own: Set<string> | undefined;
    // The coinbase too: `generatetoaddress` to the bridge locks BTC there (a peg-in without a marker).
    for (const tx of block?.transactions ?? []) {
      const txid = tx.getId();
      const pegIns = pegInsOf(tx, bridgeScript);
      // The bridge's own payments return their change to it: that is not a peg-in.
      own ??= pegIns.length > 0 ? this.ownPayments() : undefined;
      if (own?.has(txid)) continue;
      for (const p of pegIns) {
        this.data.deposits.push({ txid, vout: p.vout, amount: p.amount.toString(), height, recipient: p.recipient, problem: p.problem });
      }
      const raw = forcedTransactionOf(tx, bridgeScript);
      if (raw) this.data.forced.push(this.forcedRecord(txid, height, block?.timestamp ?? 0, raw));
    }
    const heightOf = (ref: TxRef | undefined) => {
      if (ref && ref.height === undefined) ref.height = this.bitcoin.getTransaction(ref.txid)?.height;
    };
    for (const w of this.openWithdrawals()) {
      heightOf(w.payout);
      heightOf(w.broker);
    }
    for (const f of this.data.forced) heightOf(f.escape?.payout);
  }

  /** Txids of the bridge's own payments (payouts, reimbursements, escapes). */
  private ownPayments(): Set<string> {
    const own = new Set<string>();
    // A payment not yet mined belongs to a withdrawal still open.
    for (const w of this.openWithdrawals()) if (w.payout) own.add(w.payout.txid);
    for (const f of this.data.forced) if (f.escape?.payout) own.add(f.escape.payout.txid);
    return own;
  }

  private forcedRecord(txid: string, height: number, time: number, raw: Buffer): ForcedRecord {
    const record: ForcedRecord = { txid, height, deadline: time + this.config.forceInclusionSeconds, raw: bytesToHex(raw) };
    try {
      const { tx, sender } = this.host.l2.decodeRaw(raw);
      record.l2Tx = bytesToHex(tx.hash());
      record.from = sender.toLowerCase();
    } catch (error) {
      record.problem = `the forced transaction does not decode: ${(error as Error).message}`;
    }
    return record;
  }

  /**
   * Before a Bitcoin block at `time` is mined: a forced transaction past its window halts the L2 (and is
   * honoured from the last hard-final state), the broker pays new peg-outs, and final ones are paid.
   */
  beforeMine(time: number): Promise<void> | undefined {
    const overdue = this.host.halted() ? [] : this.data.forced.filter((f) => !f.escape && this.awaitsInclusion(f) && f.deadline <= time);
    // A promise only when there is an escape to run (the rest is synchronous: most blocks need no await).
    if (overdue.length > 0) return this.escapeOverdue(overdue, time).then(() => this.pay());
    this.pay();
    return undefined;
  }

  /** The escape hatch for overdue forced transactions, then the halt they cause. */
  private async escapeOverdue(overdue: ForcedRecord[], time: number): Promise<void> {
    const finalized = this.host.finalizedBlock();
    await this.escape(overdue, finalized, time);
    const first = overdue[0];
    const hours = this.config.forceInclusionSeconds / 3600;
    this.host.halt(
      `the sequencer did not include forced transaction ${first.l2Tx} (Bitcoin transaction ${first.txid}) within the ${hours} h force-inclusion window`,
      first.txid,
      finalized,
    );
  }

  /** The payments due before a block: the broker's (in broker mode), then those of final batches. */
  private pay(): void {
    if (this.config.mode === "broker") this.brokerPays();
    this.payFinal();
  }

  /**
   * Whether a forced transaction still waits for the sequencer: it decodes, nothing became of it yet, and
   * the L2 does not already hold it (its sender may have sent it the normal way too). One the escape hatch
   * honoured still goes into the L2 after the recovery.
   */
  private awaitsInclusion(f: ForcedRecord): boolean {
    if (f.problem || f.included || f.dropped) return false;
    const mined = f.l2Tx ? this.host.l2.receipt(f.l2Tx) : undefined;
    if (mined) {
      f.included = { l2Block: mined.block.number.toString() };
      return false;
    }
    return true;
  }

  private invalid(w: WithdrawalRecord): boolean {
    const b = this.host.batches[w.batch];
    return b === undefined || b.invalidated !== undefined || b.rolledBack === true;
  }

  /** Broker mode: the broker pays the peg-outs of valid, not yet final batches it has not paid (one transaction). */
  private brokerPays(): void {
    const due = this.openWithdrawals().filter(
      (w) => !w.broker && !w.payout && !w.escaped && !this.invalid(w) && !this.host.isFinal(this.host.batches[w.batch]),
    );
    // What the broker spends on each: the payment; its own fee (2 sat/vB) comes out of a margin.
    const posted = this.payMany(
      this.payers.broker,
      due,
      (w) => BigInt(w.amount) - WITHDRAWAL_FEE_SATS,
      100_000n,
      (batch) =>
        buildPayment(
          this.bitcoin,
          this.payers.broker,
          batch.map((w) => this.payment(w.script, w)),
          "auto",
        ),
    );
    for (const [w, txid] of posted) w.broker = { txid };
  }

  /** Peg-outs of final batches: paid to their owners (or, when the broker paid them, to the broker). */
  private payFinal(): void {
    const due = this.openWithdrawals().filter(
      (w) => !w.payout && !w.escaped && !this.invalid(w) && this.host.isFinal(this.host.batches[w.batch]),
    );
    if (due.length === 0) return;
    const broker = bytesToHex(this.payers.broker.output.script);
    // The bridge spends each withdrawal's whole amount: the payment and its fee.
    const posted = this.payMany(
      this.payers.bridge,
      due,
      (w) => BigInt(w.amount),
      0n,
      (batch) =>
        buildPayment(
          this.bitcoin,
          this.payers.bridge,
          batch.map((w) => this.payment(w.broker ? broker : w.script, w)),
          WITHDRAWAL_FEE_SATS * BigInt(batch.length),
        ),
    );
    for (const [w, txid] of posted) w.payout = { txid };
  }

  /**
   * Pays, in one transaction, the oldest of `due` that `payer`'s spendable coins cover (one it cannot cover
   * waits, and does not hold up the others): chosen in order while their cost fits, then fewer if the
   * transaction cannot be built (coins that would leave dust change, too many inputs for the fee).
   */
  private payMany(
    payer: Payer,
    due: WithdrawalRecord[],
    cost: (w: WithdrawalRecord) => bigint,
    margin: bigint,
    build: (batch: WithdrawalRecord[]) => ReturnType<typeof buildPayment>,
  ): [WithdrawalRecord, string][] {
    if (due.length === 0) return [];
    let budget = spendableCoins(this.bitcoin, payer.output.script).reduce((sum, c) => sum + c.value, 0n) - margin;
    const batch: WithdrawalRecord[] = [];
    for (const w of due) {
      if (batch.length === MAX_PAYMENTS_PER_TX) break;
      if (cost(w) > budget) continue;
      batch.push(w);
      budget -= cost(w);
    }
    for (; batch.length > 0; batch.pop()) {
      const txid = this.post(build(batch));
      if (txid) return batch.map((w) => [w, txid]);
    }
    return [];
  }

  private payment(script: string | Uint8Array, w: { amount: string }): { script: Uint8Array; value: bigint } {
    return {
      script: typeof script === "string" ? hexToBytes(script as `0x${string}`) : script,
      value: BigInt(w.amount) - WITHDRAWAL_FEE_SATS,
    };
  }

  private post(tx: ReturnType<typeof buildPayment>): string | undefined {
    if (!tx) return undefined;
    try {
      return this.bitcoin.acceptToMempool(tx).txid;
    } catch {
      return undefined;
    }
  }

  /**
   * The escape hatch: the overdue forced transactions run, one after another, on the state of the last
   * hard-final block, and the peg-outs they make there are paid on Bitcoin at once (in the block about to
   * be mined).
   */
  private async escape(overdue: ForcedRecord[], finalized: bigint, time: number): Promise<void> {
    const l2 = this.host.l2;
    const outcomes = overdue.map((f) => {
      f.escape = { finalizedBlock: finalized.toString() };
      return f.escape;
    });
    const stored = l2.store.byNumber(finalized);
    let vm: Awaited<ReturnType<L2Chain["vmAt"]>>;
    try {
      if (!stored) throw new Error(`block ${finalized} is not available`);
      vm = await l2.vmAt(stored.block.header.stateRoot, `the state of the last hard-final block ${finalized}`);
    } catch (error) {
      for (const outcome of outcomes) outcome.problem = (error as Error).message;
      return;
    }
    const h = stored.block.header;
    const context = executionBlock(l2.common, {
      number: h.number + 1n,
      timestamp: BigInt(Math.max(time, Number(h.timestamp) + 1)),
      gasLimit: h.gasLimit,
      baseFeePerGas: h.calcNextBaseFee(),
      coinbase: h.coinbase,
      parentHash: h.hash(),
      parentBeaconBlockRoot: h.parentBeaconBlockRoot,
    });
    let gasUsed = 0n;
    for (const [i, f] of overdue.entries()) {
      const outcome = outcomes[i];
      try {
        const { tx } = l2.decodeRaw(hexToBytes(f.raw as `0x${string}`));
        const result = await executeTx(vm, tx, context, gasUsed);
        gasUsed += result.totalGasSpent;
        if (result.execResult.exceptionError) throw new Error(`it reverted on that state (${result.execResult.exceptionError.error})`);
        const burn = burnsIn([{ transactionHash: f.l2Tx ?? "", logs: (result.execResult.logs ?? []).map(logOf) }], h.number + 1n)[0];
        if (!burn) throw new Error("it makes no withdrawal on that state");
        outcome.withdrawal = burn.id;
        const paid = this.post(
          buildPayment(
            this.bitcoin,
            this.payers.bridge,
            [this.payment(burn.script, { amount: burn.amount.toString() })],
            WITHDRAWAL_FEE_SATS,
          ),
        );
        if (!paid) throw new Error("the bridge cannot pay it on Bitcoin (not enough spendable BTC)");
        outcome.payout = { txid: paid };
        outcome.amount = burn.amount.toString();
        outcome.script = burn.script;
      } catch (error) {
        outcome.problem = (error as Error).message;
      }
    }
  }

  // ---- sealing -------------------------------------------------------------------------------------

  /** Records the peg-outs of a batch's blocks (as the batch seals them) and returns their root. */
  seal(batch: number, blocks: readonly StoredBlock[]): string {
    const burns: BurnEvent[] = blocks.flatMap((b) => burnsOf(b));
    for (const burn of burns) {
      const escaped = this.data.forced.find((f) => f.l2Tx === burn.l2Tx && f.escape?.payout)?.escape?.payout;
      this.data.withdrawals.push({
        id: burn.id,
        index: burn.index.toString(),
        from: burn.from,
        btcAddress: burn.btcAddress,
        script: burn.script,
        amount: burn.amount.toString(),
        l2Tx: burn.l2Tx,
        l2Block: burn.l2Block.toString(),
        batch,
        escaped,
      });
    }
    return batchWithdrawalsRoot(burns);
  }

  // ---- the L2 side: the start of every block ------------------------------------------------------

  /** Whether the L2 should make a block now (automine): a peg-in or a forced transaction is ready. */
  hasUrgentWork(): boolean {
    return this.mintable().length > 0 || this.includable().length > 0;
  }

  private mintable(): DepositRecord[] {
    const open = this.unsettled(this.data.deposits, "deposits", (d) => d.problem !== undefined || d.mint !== undefined);
    return open.filter((d) => d.recipient && !d.problem && !d.mint && this.ready(d.height));
  }

  private includable(): ForcedRecord[] {
    if (this.data.censoring) return [];
    return this.data.forced.filter((f) => this.ready(f.height) && this.awaitsInclusion(f));
  }

  /**
   * The block's system transactions (headers, mints) and forced transactions. Their gas limits fit in the
   * block's: the system ones in half of it (users keep the rest), the forced ones in what is left; what does
   * not fit waits for a later block.
   */
  async transactions(header: { number: bigint; timestamp: bigint; gasLimit: bigint }): Promise<PoolTx[]> {
    this.building = new Map();
    const l2 = this.host.l2;
    let room = header.gasLimit;
    let systemRoom = header.gasLimit / 2n;
    const confirmedTip = this.bitcoin.height - this.config.depositConfirmations + 1;
    // The light client starts at the first Bitcoin block after the devnet's genesis: the premined ones exist
    // from the start, but only once Bitcoin is loaded (a query may load it), so feeding them would make the L2
    // blocks depend on whether anyone asked about Bitcoin. Blocks after genesis exist only once mined.
    const from = Math.max(this.data.lightClientHeight + 1, FIRST_LIGHT_CLIENT_HEIGHT, confirmedTip - MAX_HEADERS_PER_BLOCK + 1);
    const mintable = this.mintable();
    // Most blocks carry no system transaction: the state is read only when one is due.
    let nonce = confirmedTip >= from || mintable.length > 0 ? await l2.nonceOf(SYSTEM_ADDRESS) : 0n;
    const txs: PoolTx[] = [];
    const system = (to: string, data: string, gasLimit: bigint, action: PreludeAction) => {
      systemRoom -= gasLimit;
      room -= gasLimit;
      const fields = { type: 0, nonce: nonce++, gasPrice: 0n, gasLimit, to: to as `0x${string}`, data: data as `0x${string}` };
      const options = { ...libOptions(l2.common), freeze: false };
      const tx = signTx(createTx(fields, options), this.systemKey);
      Object.freeze(withSender(tx, createAddressFromString(SYSTEM_ADDRESS)));
      const hash = bytesToHex(tx.hash());
      this.building.set(hash, action);
      txs.push(createPoolTx(tx, hash, SYSTEM_ADDRESS.toLowerCase(), -1));
    };
    // Gas limit of a feed of n headers: 100k + 40k × n (it uses ~57k + 24.7k × n).
    const fits = Number((systemRoom - HEADERS_BASE_GAS) / HEADER_GAS);
    if (confirmedTip >= from && fits > 0) {
      const last = Math.min(confirmedTip, from + fits - 1);
      const headers: Uint8Array[] = [];
      for (let h = from; h <= last; h++)
        headers.push((this.bitcoin.getBlock(h) as NonNullable<ReturnType<BitcoinChain["getBlock"]>>).toBuffer(true));
      const data = lightClientInterface.encodeFunctionData("submitHeaders", [from, Buffer.concat(headers)]);
      system(BITCOIN_LIGHT_CLIENT.address, data, HEADERS_BASE_GAS + HEADER_GAS * BigInt(headers.length), { kind: "headers", last });
    }
    for (const d of mintable) {
      if (systemRoom < MINT_GAS) break;
      const data = bridgeInterface.encodeFunctionData("mint", [d.recipient, BigInt(d.amount), `0x${d.txid}`, d.vout]);
      system(BITCOIN_BRIDGE.address, data, MINT_GAS, { kind: "mint", deposit: d });
    }
    for (const f of this.includable()) {
      try {
        const { tx, sender } = l2.decodeRaw(hexToBytes(f.raw as `0x${string}`));
        if (tx.gasLimit > header.gasLimit) {
          f.dropped = `its gas limit ${tx.gasLimit} exceeds the block gas limit ${header.gasLimit}`;
          continue;
        }
        if (tx.gasLimit > room) continue;
        room -= tx.gasLimit;
        const hash = bytesToHex(tx.hash());
        this.building.set(hash, { kind: "forced", forced: f });
        txs.push(createPoolTx(tx, hash, sender.toLowerCase(), -1));
      } catch (error) {
        f.dropped = (error as Error).message;
      }
    }
    return txs;
  }

  settled(block: StoredBlock, dropped: { ptx: PoolTx; error: Error }[]): void {
    const actions = this.building;
    this.building = new Map();
    for (const [i, hash] of block.txHashes.entries()) {
      const action = actions.get(hash);
      if (!action) continue;
      const receipt = block.receipts[i];
      if (action.kind === "headers") {
        if (receipt.status === 1) this.data.lightClientHeight = action.last;
      } else if (action.kind === "mint") {
        action.deposit.mint = { l2Block: block.number.toString(), l2Tx: hash };
        if (receipt.status === 0) {
          action.deposit.mint.failed = "the mint reverted (the recipient refused the value)";
          action.deposit.problem = action.deposit.mint.failed;
        }
      } else {
        action.forced.included = { l2Block: block.number.toString() };
      }
    }
    for (const { ptx, error } of dropped) {
      const action = actions.get(ptx.hash);
      if (action?.kind === "forced") action.forced.dropped = error.message;
    }
  }

  // ---- recovery ---------------------------------------------------------------------------------------

  /** After a recovery rolled the L2 back to `height`: what later blocks did is undone (and will be done again). */
  async rolledBack(height: bigint): Promise<void> {
    // Mints undone below: the deposits' cursor counts again from the start.
    this.cursor.data = undefined;
    for (const d of this.data.deposits) {
      if (d.mint && BigInt(d.mint.l2Block) > height) {
        if (d.mint.failed) d.problem = undefined;
        d.mint = undefined;
      }
    }
    for (const f of this.data.forced) {
      if (f.included && BigInt(f.included.l2Block) > height) f.included = undefined;
    }
    this.data.censoring = false;
    this.data.lightClientHeight = await this.readLightClientHeight();
  }

  private async readLightClientHeight(): Promise<number> {
    const l2 = this.host.l2;
    const vm = await l2.vmAt(await l2.state.getStateRoot(), "the current state");
    const result = await vm.evm.runCall({
      caller: createAddressFromString(SYSTEM_ADDRESS),
      to: createAddressFromString(BITCOIN_LIGHT_CLIENT.address),
      data: hexToBytes(lightClientInterface.encodeFunctionData("latestHeight") as `0x${string}`),
      gasLimit: 1_000_000n,
    });
    if (result.execResult.exceptionError) return -1;
    return Number(lightClientInterface.decodeFunctionResult("latestHeight", result.execResult.returnValue)[0]);
  }
}

function logOf([address, topics, data]: [Uint8Array, Uint8Array[], Uint8Array]) {
  return { address: bytesToHex(address), topics: topics.map((t) => bytesToHex(t)), data: bytesToHex(data), logIndex: 0 };
}
