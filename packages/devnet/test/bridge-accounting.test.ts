// A property test of the bridge's books: seeded random sequences of peg-ins (bitlayer_deposit), L2
// transfers, peg-outs (the bridge's withdraw to random regtest P2WPKH / P2TR addresses), time-warps,
// Bitcoin blocks, evm_snapshot and evm_revert on one devnet. After every step the devnet's own books
// must hold (bitlayer_bridgeAccounting), and the test checks on its own that no wei is created or lost
// on the L2 (every balance it touched + the bridge's + the block producers', against genesis; the
// producers' gains = the fees of every receipt) and that on Bitcoin every paid withdrawal has exactly
// one output, of its amount less the 1000-sat fee, at its address (and an unpaid one has none).

import assert from "node:assert/strict";
import { Wallet } from "ethers";
import { BITCOIN_BRIDGE, SYSTEM_ADDRESS } from "../src/index.js";
import {
  type AccountingView,
  type BtcAddress,
  CHAIN_ID,
  type DepositView,
  FEE_SATS,
  OutputIndex,
  p2trAddress,
  p2wpkhAddress,
  SATS,
  type WithdrawalView,
  withdrawData,
} from "./support/bridge-user.js";
import { mulberry32 } from "./support/random.js";
import { type Chains, chainsFixture } from "./support/settlement.js";

const SEEDS = [0x5eed0001, 0xb17c0002, 0x0ddba11];
const STEPS = 40;
/** Dev accounts the test sends from (with eth_sendTransaction) and to. */
const DEV_ACCOUNTS = 6;
const GWEI = 10n ** 9n;
/** Gas and fee caps of the transactions the test signs for its own (fresh) accounts. */
const TRANSFER_GAS = 21_000n;
const WITHDRAW_GAS = 300_000n;
const MAX_FEE = 10n * GWEI;
/** The bridge's genesis reserve on Bitcoin: 500 BTC. */
const RESERVE_SATS = 500n * 100_000_000n;

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  /** Uniform in [0, 1). */
  float(): number {
    return this.next();
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(0, list.length - 1)];
  }
  /** 32 bytes that are a valid secp256k1 key (never zero, far below the group order). */
  key(): Buffer {
    const bytes = Buffer.alloc(32);
    for (let i = 0; i < 32; i++) bytes[i] = this.int(0, 255);
    bytes[0] = 1 + (bytes[0] % 0x7f);
    return bytes;
  }
}

interface Receipt {
  status: string;
  blockNumber: string;
  gasUsed: string;
  effectiveGasPrice: string;
}

/** A withdrawal the test made. */
interface Made {
  hash: string;
  to: BtcAddress;
  amount: bigint;
}

const hexOf = (n: bigint | number) => `0x${BigInt(n).toString(16)}`;

/** One seed's run: the devnet, what the test made (reverted with snapshots), and its own view of the chains. */
class Run {
  readonly steps: string[] = [];
  private readonly rng: Rng;
  private readonly fresh: Wallet[] = [];
  /** Lower-case addresses whose balances are summed: every account the test touched, the bridge, the system account, block producers. */
  private readonly touched = new Set<string>();
  private readonly coinbases = new Set<string>();
  private readonly genesisBalance = new Map<string, bigint>();
  private withdrawals: Made[] = [];
  /** Sats of the peg-ins the test made. */
  private deposits: bigint[] = [];
  private snapshots: { id: string; withdrawals: Made[]; deposits: bigint[] }[] = [];
  /** L2 blocks read so far: hash and the fees of their receipts. */
  private l2Blocks: { hash: string; fees: bigint }[] = [];
  private readonly outputs: OutputIndex;
  private paidSeen = 0;

  constructor(
    private readonly c: Chains,
    seed: number,
  ) {
    this.rng = new Rng(seed);
    this.outputs = new OutputIndex(c.devnet);
    for (let i = 0; i < DEV_ACCOUNTS; i++) this.touch(c.address(i));
    this.touch(BITCOIN_BRIDGE.address);
    this.touch(SYSTEM_ADDRESS);
  }

  /** How many withdrawals were seen paid after a step (over the run). */
  get paidChecks(): number {
    return this.paidSeen;
  }

  private touch(address: string): string {
    const a = address.toLowerCase();
    this.touched.add(a);
    return a;
  }

  private async balance(address: string, tag = "latest"): Promise<bigint> {
    return BigInt(await this.c.rpc<string>("eth_getBalance", [address, tag]));
  }

  /** An account to send from: a dev account (eth_sendTransaction) or a fresh one holding at least `need` wei (signed here). */
  private async sender(need: bigint): Promise<{ address: string; wallet?: Wallet }> {
    if (this.fresh.length > 0 && this.rng.float() < 0.5) {
      const wallet = this.rng.pick(this.fresh);
      if ((await this.balance(wallet.address)) >= need) return { address: wallet.address, wallet };
    }
    return { address: this.c.address(this.rng.int(0, DEV_ACCOUNTS - 1)) };
  }

  /** A recipient on the L2: a dev account, a known fresh account or a new one. */
  private recipient(): string {
    const r = this.rng.float();
    if (r < 0.45) return this.c.address(this.rng.int(0, DEV_ACCOUNTS - 1));
    if (r < 0.75 && this.fresh.length > 0) return this.rng.pick(this.fresh).address;
    const wallet = new Wallet(`0x${this.rng.key().toString("hex")}`);
    this.fresh.push(wallet);
    return wallet.address;
  }

  /** Sends a transaction from `from` (signed here for a fresh account); answers its receipt, which must be a success. */
  private async send(
    from: { address: string; wallet?: Wallet },
    to: string,
    value: bigint,
    data?: string,
  ): Promise<Receipt & { hash: string }> {
    let hash: string;
    if (from.wallet) {
      const nonce = Number(BigInt(await this.c.rpc<string>("eth_getTransactionCount", [from.address, "pending"])));
      const raw = await from.wallet.signTransaction({
        type: 2,
        chainId: CHAIN_ID,
        nonce,
        to,
        value,
        data,
        gasLimit: data ? WITHDRAW_GAS : TRANSFER_GAS,
        maxFeePerGas: MAX_FEE,
        maxPriorityFeePerGas: GWEI,
      });
      hash = await this.c.rpc<string>("eth_sendRawTransaction", [raw]);
    } else {
      hash = await this.c.rpc<string>("eth_sendTransaction", [{ from: from.address, to, value: hexOf(value), data }]);
    }
    const receipt = await this.c.rpc<Receipt>("eth_getTransactionReceipt", [hash]);
    assert.ok(receipt, `${hash} is mined`);
    assert.equal(receipt.status, "0x1", `${hash} succeeds`);
    return { ...receipt, hash };
  }

  private static fee(r: Receipt): bigint {
    return BigInt(r.gasUsed) * BigInt(r.effectiveGasPrice);
  }

  async deposit(): Promise<void> {
    const to = this.touch(this.recipient());
    const amount = BigInt(this.rng.int(10_000, 500_000_000));
    this.steps.push(`deposit ${amount} sats to ${to}`);
    const before = await this.balance(to);
    const d = await this.c.rpc<DepositView>("bitlayer_deposit", [to, Number(amount)]);
    assert.equal(d.status, "minted", JSON.stringify(d));
    assert.equal(d.amountSats, Number(amount));
    assert.equal(d.recipient?.toLowerCase(), to);
    assert.equal(await this.balance(to), before + amount * SATS, "the recipient is credited sats × 10^10 wei, exactly");
    this.deposits = [...this.deposits, amount];
  }

  async transfer(): Promise<void> {
    const from = await this.sender(TRANSFER_GAS * MAX_FEE + 1n);
    const to = this.touch(this.recipient());
    this.touch(from.address);
    const available = (await this.balance(from.address)) - TRANSFER_GAS * MAX_FEE;
    const cap = available < 10n ** 19n ? available : 10n ** 19n;
    const value = (cap * BigInt(this.rng.int(0, 1000))) / 1000n;
    this.steps.push(`transfer ${value} wei from ${from.address.toLowerCase()} to ${to}`);
    const before = { from: await this.balance(from.address), to: await this.balance(to) };
    const r = await this.send(from, to, value);
    const fee = Run.fee(r);
    if (from.address.toLowerCase() === to) {
      assert.equal(await this.balance(to), before.to - fee);
    } else {
      assert.equal(await this.balance(from.address), before.from - value - fee, "the sender pays value + fee");
      assert.equal(await this.balance(to), before.to + value, "the recipient gets the value");
    }
  }

  async withdraw(): Promise<void> {
    const amount = BigInt(this.rng.int(2000, 50_000_000));
    const from = await this.sender(amount * SATS + WITHDRAW_GAS * MAX_FEE);
    this.touch(from.address);
    const to = this.rng.float() < 0.5 ? p2wpkhAddress(this.rng.key()) : p2trAddress(this.rng.key());
    this.steps.push(`withdraw ${amount} sats from ${from.address.toLowerCase()} to ${to.address}`);
    const r = await this.send(from, BITCOIN_BRIDGE.address, amount * SATS, withdrawData(to.address));
    this.withdrawals = [...this.withdrawals, { hash: r.hash, to, amount }];
  }

  async warp(): Promise<void> {
    const seconds = this.rng.int(600, 8 * 24 * 3600);
    this.steps.push(`warp ${seconds} s`);
    await this.c.warp(seconds);
  }

  async mine(): Promise<void> {
    const count = this.rng.int(1, 6);
    this.steps.push(`mine ${count} Bitcoin blocks`);
    assert.equal((await this.c.rpc<string[]>("bitlayer_mineBitcoin", [count])).length, count);
  }

  async snapshot(): Promise<void> {
    const id = await this.c.rpc<string>("evm_snapshot");
    this.steps.push(`snapshot ${id}`);
    this.snapshots.push({ id, withdrawals: this.withdrawals, deposits: this.deposits });
  }

  async revert(): Promise<void> {
    if (this.snapshots.length === 0) return this.snapshot();
    const i = this.rng.int(0, this.snapshots.length - 1);
    const { id, withdrawals, deposits } = this.snapshots[i];
    this.steps.push(`revert to snapshot ${id}`);
    assert.equal(await this.c.rpc("evm_revert", [id]), true);
    this.withdrawals = withdrawals;
    this.deposits = deposits;
    this.snapshots = this.snapshots.slice(0, i);
  }

  /** One random operation. */
  async step(): Promise<void> {
    const r = this.rng.float();
    if (r < 0.15) await this.deposit();
    else if (r < 0.33) await this.transfer();
    else if (r < 0.53) await this.withdraw();
    else if (r < 0.73) await this.warp();
    else if (r < 0.82) await this.mine();
    else if (r < 0.92) await this.snapshot();
    else await this.revert();
  }

  /** Reads the L2 blocks not read yet (again from the first whose hash changed, after a revert); answers the fees of the whole chain. */
  private async syncL2(): Promise<bigint> {
    const latest = Number(BigInt(await this.c.rpc<string>("eth_blockNumber")));
    let keep = Math.min(this.l2Blocks.length, latest + 1);
    while (keep > 0 && (await this.c.block(keep - 1)).hash !== this.l2Blocks[keep - 1].hash) keep--;
    this.l2Blocks.length = keep;
    for (let n = keep; n <= latest; n++) {
      const block = await this.c.rpc<{ hash: string; miner: string }>("eth_getBlockByNumber", [hexOf(n), false]);
      const receipts = await this.c.rpc<Receipt[]>("eth_getBlockReceipts", [hexOf(n)]);
      const miner = this.touch(block.miner);
      this.coinbases.add(miner);
      this.l2Blocks.push({ hash: block.hash, fees: receipts.reduce((s, r) => s + Run.fee(r), 0n) });
    }
    return this.l2Blocks.reduce((s, b) => s + b.fees, 0n);
  }

  /** Everything that must hold after every step. */
  async check(): Promise<void> {
    const books = await this.c.rpc<AccountingView>("bitlayer_bridgeAccounting");
    assert.equal(books.bitcoin.holds, true, `the Bitcoin books: ${JSON.stringify(books.bitcoin)}`);
    assert.equal(books.l2.holds, true, `the L2 books: ${JSON.stringify(books.l2)}`);

    // No wei created or lost: the touched balances sum to what they summed to at genesis, and the
    // block producers gained exactly the fees the receipts say were paid.
    const fees = await this.syncL2();
    let now = 0n;
    let then = 0n;
    let gained = 0n;
    for (const a of this.touched) {
      let g = this.genesisBalance.get(a);
      if (g === undefined) {
        g = await this.balance(a, "0x0");
        this.genesisBalance.set(a, g);
      }
      const b = await this.balance(a);
      now += b;
      then += g;
      if (this.coinbases.has(a)) gained += b - g;
    }
    assert.equal(now - then, 0n, `wei created (> 0) or lost (< 0) on the L2 across ${this.touched.size} accounts`);
    assert.equal(gained, fees, "the block producers gained the fees of every receipt");

    // The devnet knows exactly the withdrawals the test made.
    const listed = await this.c.rpc<WithdrawalView[]>("bitlayer_listWithdrawals");
    assert.deepEqual(listed.map((w) => w.transactionHash).sort(), this.withdrawals.map((w) => w.hash).sort(), "the listed withdrawals");

    // On Bitcoin: a paid withdrawal has exactly one output at its address, of its amount less the fee; an unpaid one has none.
    await this.outputs.sync();
    let paid = 0n;
    let unsealed = 0n;
    for (const made of this.withdrawals) {
      const w = await this.c.rpc<WithdrawalView | null>("bitlayer_getWithdrawal", [made.hash]);
      assert.ok(w, `withdrawal ${made.hash} is known`);
      assert.equal(w.amountSats, Number(made.amount));
      assert.equal(w.btcAddress, made.to.address);
      assert.equal(w.scriptPubKey, `0x${made.to.script.toString("hex")}`);
      const paying = this.outputs.paying(made.to.script).map((o) => ({ txid: o.txid, value: o.value }));
      if (w.batch === null) unsealed += made.amount;
      if (w.status === "paid") {
        paid += made.amount;
        this.paidSeen++;
        assert.deepEqual(paying, [{ txid: w.payment?.txid, value: made.amount - FEE_SATS }], `withdrawal ${made.hash} paid once`);
      } else {
        assert.deepEqual(paying, [], `withdrawal ${made.hash} (${w.status}) has no payment on Bitcoin`);
      }
    }

    // The books' figures, against the test's own sums (the dev accounts' L2 BTC is backed by a 500 BTC reserve).
    const deposited = this.deposits.reduce((a, b) => a + b, 0n);
    const burned = this.withdrawals.reduce((a, w) => a + w.amount, 0n);
    assert.equal(books.bitcoin.genesisReserveSats, Number(RESERVE_SATS));
    assert.equal(books.bitcoin.mintedSats, Number(deposited), "minted: the test's deposits");
    assert.equal(books.l2.mintedSats, Number(deposited));
    assert.equal(books.l2.burnedSats, Number(burned), "burned: the test's withdrawals");
    assert.equal(books.bitcoin.paidOutSats, Number(paid), "paid out: the withdrawals whose status is paid");
    assert.equal(books.bitcoin.lockedSats, Number(RESERVE_SATS + deposited - paid), "locked: reserve + deposits − paid");
    assert.equal(books.outstandingSats, Number(burned - paid - unsealed), "outstanding: sealed, not paid yet");
  }
}

describe("bridge: accounting under random deposits, transfers, withdrawals, warps, snapshots and reverts", function () {
  this.timeout(90_000);
  const { start } = chainsFixture("devnet-bridge-accounting-");

  for (const seed of SEEDS) {
    it(`seed 0x${seed.toString(16)}: the books hold and no sat or wei is created or lost after each of ${STEPS} steps`, async () => {
      const run = new Run(await start(), seed);
      try {
        await run.check();
        for (let i = 0; i < STEPS; i++) {
          await run.step();
          await run.check();
        }
        // The run must reach the interesting part: withdrawals paid on Bitcoin.
        assert.ok(run.paidChecks > 0, "some withdrawal was paid during the run");
      } catch (error) {
        console.error(`bridge accounting failed with seed 0x${seed.toString(16)} after ${run.steps.length} steps:`);
        run.steps.forEach((s, i) => {
          console.error(`  ${i + 1}. ${s}`);
        });
        throw error;
      }
    });
  }
});
