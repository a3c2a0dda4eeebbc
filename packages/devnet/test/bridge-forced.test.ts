// Forced transactions, the bridge's escape hatch: a user posts a signed L2 withdraw inside a Bitcoin
// transaction (OP_RETURN "BTLF" + the raw L2 transaction), by bitlayer_forceWithdrawal or by hand with
// bitcoinjs-lib and the bitcoin-core client. An honest sequencer includes it once it has 6
// confirmations and the withdrawal is paid after hard finality; a censoring one leaves it out until
// the force-inclusion window closes, the L2 halts, the withdrawal is paid on Bitcoin from the last
// hard-final state, and bitlayer_recover rolls back and includes it without paying it twice. Junk and
// transactions that cannot run are refused or reported, and never halt the L2.

import assert from "node:assert/strict";
import Client from "bitcoin-core";
import { Transaction as BtcTransaction, script as bscript, payments } from "bitcoinjs-lib";
import { encodeRlp, getBytes, keccak256, Transaction, Wallet } from "ethers";
import { BITCOIN_BRIDGE, type BitcoinRpcServer, startBitcoinServer } from "../src/index.js";
import { ECPair, spendP2wpkh } from "./support/bitcoin.js";
import {
  type AccountingView,
  CHAIN_ID,
  FEE_SATS,
  type ForcedHaltView,
  type ForcedView,
  OutputIndex,
  p2trAddress,
  p2wpkhAddress,
  SATS,
  signWithdraw,
  type WithdrawalView,
} from "./support/bridge-user.js";
import { type BitcoinRpc, bitcoinRpc, regtest } from "./support/claims.js";
import { BLOCK_TIME, type Chains, chainsFixture, refused } from "./support/settlement.js";

/** The mainnet preset's force-inclusion window: 72 hours. */
const WINDOW = 72 * 3600;
/** 1 BTC in wei. */
const BTC = 10n ** 18n;
const FORCED_MARKER = Buffer.from("BTLF", "ascii");

/** A user's L2 key (fresh: no dev account), deterministic. */
const userKey = (n: number) => `0x${n.toString(16).padStart(2, "0").repeat(32)}`;

/** A key only the test holds on Bitcoin (its coins are outside the dev wallet). */
const holder = ECPair.fromPrivateKey(Buffer.alloc(32, 0x33));
const holderPayment = payments.p2wpkh({ pubkey: holder.publicKey, network: regtest });
/** Where generatetoaddress pays its rewards: outside the wallet. */
const minerAddress = payments.p2wpkh({ pubkey: ECPair.fromPrivateKey(Buffer.alloc(32, 0x44)).publicKey, network: regtest }).address!;

const hexOf = (n: bigint | number) => `0x${BigInt(n).toString(16)}`;

/** A type-2 transaction paying the bridge, never signed: it does not decode as a sendable L2 transaction. */
const unsignedWithdrawTx = () =>
  Transaction.from({
    type: 2,
    chainId: CHAIN_ID,
    nonce: 0,
    to: BITCOIN_BRIDGE.address,
    value: 10_000n * SATS,
    gasLimit: 300_000n,
    maxFeePerGas: 10n ** 10n,
    maxPriorityFeePerGas: 10n ** 9n,
  }).unsignedSerialized;

interface L2Tx {
  hash: string;
  from: string;
}

interface Receipt {
  status: string;
  blockNumber: string;
  logs: { address: string; topics: string[] }[];
}

/** Dev account 0 sends `wei` to `to`; answers the hash (mined at once). */
function fund(c: Chains, to: string, wei: bigint): Promise<string> {
  return c.rpc<string>("eth_sendTransaction", [{ from: c.address(0), to, value: hexOf(wei) }]);
}

function forced(c: Chains, txid: string): Promise<ForcedView> {
  return c.rpc<ForcedView>("bitlayer_getForcedTransaction", [txid]);
}

function withdrawal(c: Chains, key: string): Promise<WithdrawalView | null> {
  return c.rpc<WithdrawalView | null>("bitlayer_getWithdrawal", [key]);
}

async function assertAccountingHolds(c: Chains): Promise<AccountingView> {
  const books = await c.rpc<AccountingView>("bitlayer_bridgeAccounting");
  assert.equal(books.bitcoin.holds, true, `Bitcoin side: ${JSON.stringify(books.bitcoin)}`);
  assert.equal(books.l2.holds, true, `L2 side: ${JSON.stringify(books.l2)}`);
  return books;
}

/** Time of the Bitcoin block at `height`. */
async function bitcoinTime(c: Chains, height: number): Promise<number> {
  const hash = await c.bitcoin<string>("getblockhash", [height]);
  return (await c.bitcoin<{ time: number }>("getblockheader", [hash])).time;
}

/** The L2 block `number` holds a transaction `hash` sent by `from`. */
async function assertInBlock(c: Chains, number: string, hash: string, from: string): Promise<void> {
  const block = await c.rpc<{ transactions: L2Tx[] }>("eth_getBlockByNumber", [number, true]);
  const found = block.transactions.find((t) => t.hash === hash);
  assert.ok(found, `L2 block ${number} holds ${hash}`);
  assert.equal(found.from.toLowerCase(), from.toLowerCase());
}

/** The outputs of a mined Bitcoin transaction, exactly (sats), with its confirmations. */
async function bitcoinTx(c: Chains, txid: string): Promise<{ tx: BtcTransaction; confirmations: number }> {
  const verbose = await c.bitcoin<{ hex: string; confirmations?: number }>("getrawtransaction", [txid, true]);
  return { tx: BtcTransaction.fromHex(verbose.hex), confirmations: verbose.confirmations ?? 0 };
}

/** The fee a Bitcoin transaction pays: its inputs (read over the RPC) less its outputs. */
async function feeOf(c: Chains, tx: BtcTransaction): Promise<bigint> {
  let input = 0n;
  for (const i of tx.ins) {
    const prev = BtcTransaction.fromHex(await c.bitcoin<string>("getrawtransaction", [Buffer.from(i.hash).reverse().toString("hex")]));
    input += prev.outs[i.index].value;
  }
  return input - tx.outs.reduce((s, o) => s + o.value, 0n);
}

/** The data of the OP_RETURN outputs of `tx`. */
function opReturns(tx: BtcTransaction): Buffer[] {
  return tx.outs.flatMap((o) => {
    const chunks = bscript.decompile(o.script);
    return chunks && chunks[0] === 0x6a && chunks[1] instanceof Uint8Array ? [Buffer.from(chunks[1])] : [];
  });
}

/** A user funded in a hard-final block, then a forced withdraw of theirs posted to a censoring sequencer. */
async function postCensored(c: Chains) {
  const user = new Wallet(userKey(0x31));
  const to = p2wpkhAddress(Buffer.alloc(32, 0x51));
  const amount = 3_000_000n;
  const funding = await fund(c, user.address, BTC);
  const fundingBlock = (await c.rpc<Receipt>("eth_getTransactionReceipt", [funding])).blockNumber;
  const hard = await c.warp({ until: "hard", tx: funding });
  assert.equal(hard.finality?.level, "hard");
  assert.equal((await c.block("finalized")).number, fundingBlock);

  assert.equal(await c.rpc("bitlayer_setCensorship", [true]), true);
  assert.equal((await c.rpc<{ censoring: boolean }>("bitlayer_bridgeInfo")).censoring, true);
  const raw = await signWithdraw(user, to.address, amount);
  const hash = keccak256(raw);
  const posted = await c.rpc<ForcedView>("bitlayer_forceWithdrawal", [raw]);
  return { user, to, amount, funding, fundingBlock, raw, hash, posted };
}

describe("bridge: forced transactions", function () {
  this.timeout(120_000);
  const { start } = chainsFixture("devnet-bridge-forced-");

  it("without censorship: the sequencer includes a forced withdraw at 6 confirmations and the bridge pays it after hard finality", async () => {
    const c = await start();
    const info = await c.rpc<{ forceInclusionWindow: number; censoring: boolean; depositConfirmations: number }>("bitlayer_bridgeInfo");
    assert.equal(info.forceInclusionWindow, WINDOW);
    assert.equal(info.censoring, false);
    assert.equal(info.depositConfirmations, 6);

    const user = new Wallet(userKey(0x11));
    const to = p2wpkhAddress(Buffer.alloc(32, 0x21));
    const amount = 2_500_000n;
    await fund(c, user.address, BTC);
    const raw = await signWithdraw(user, to.address, amount);
    const hash = keccak256(raw);
    const height = await c.bitcoinHeight();
    const latest = await c.blockNumber("latest");

    const f = await c.rpc<ForcedView>("bitlayer_forceWithdrawal", [raw]);
    assert.equal(f.status, "included");
    assert.equal(f.transactionHash, hash);
    assert.equal(f.from?.toLowerCase(), user.address.toLowerCase());
    assert.equal(f.height, height + 1, "the BTLF transaction is in the next Bitcoin block");
    assert.equal(await c.bitcoinHeight(), height + 6, "mined up to its 6th confirmation, no further");
    assert.equal(f.deadline, (await bitcoinTime(c, f.height)) + WINDOW);
    assert.equal(f.problem, null);
    assert.equal(f.escape, null);
    assert.equal(f.includedIn, hexOf(latest + 1), "the L2 block right after its 6th confirmation");
    assert.deepEqual(await forced(c, f.txid), f);

    // The Bitcoin transaction carries exactly BTLF + the raw L2 transaction.
    const { tx: carrier, confirmations } = await bitcoinTx(c, f.txid);
    assert.equal(confirmations, 6);
    assert.deepEqual(opReturns(carrier), [Buffer.concat([FORCED_MARKER, getBytes(raw)])]);

    assert.ok(f.includedIn);
    await assertInBlock(c, f.includedIn, hash, user.address);
    const receipt = await c.rpc<Receipt>("eth_getTransactionReceipt", [hash]);
    assert.equal(receipt.status, "0x1");
    assert.equal(receipt.blockNumber, f.includedIn);
    assert.ok(receipt.logs.some((l) => l.address.toLowerCase() === BITCOIN_BRIDGE.address.toLowerCase()));

    let w = await withdrawal(c, hash);
    assert.ok(w, "the withdrawal is known by its L2 transaction");
    assert.equal(w.amountSats, Number(amount));
    assert.equal(w.paidSats, Number(amount - FEE_SATS));
    assert.equal(w.btcAddress, to.address);
    assert.equal(w.scriptPubKey, `0x${to.script.toString("hex")}`);
    assert.equal(w.from.toLowerCase(), user.address.toLowerCase());
    assert.notEqual(w.status, "paid");
    assert.equal(w.payment, null);

    const hard = await c.warp({ until: "hard", tx: hash });
    assert.equal(hard.finality?.level, "hard");
    w = await withdrawal(c, hash);
    assert.equal(w?.status, "finalized", "final, the payment is in the next Bitcoin block");
    const index = new OutputIndex(c.devnet);
    await index.sync();
    assert.deepEqual(index.paying(to.script), [], "nothing paid before hard finality");

    await c.rpc("bitlayer_mineBitcoin", [1]);
    w = await withdrawal(c, hash);
    assert.equal(w?.status, "paid");
    assert.equal(w?.paidBy, "bridge");
    assert.ok(w?.payment);
    assert.equal(w.payment.height, await c.bitcoinHeight());
    const { tx: payout, confirmations: paidConfirmations } = await bitcoinTx(c, w.payment.txid);
    assert.equal(paidConfirmations, 1);
    const mine = payout.outs.filter((o) => Buffer.from(o.script).equals(to.script));
    assert.deepEqual(
      mine.map((o) => o.value),
      [amount - FEE_SATS],
    );
    assert.equal(await feeOf(c, payout), FEE_SATS, "the bridge's fee went to the miners");
    await index.sync();
    assert.deepEqual(
      index.paying(to.script).map((o) => [o.txid, o.value]),
      [[w.payment.txid, amount - FEE_SATS]],
    );
    const books = await assertAccountingHolds(c);
    assert.equal(books.bitcoin.paidOutSats, Number(amount));
    assert.equal(books.l2.burnedSats, Number(amount));
    assert.equal(books.outstandingSats, 0);
  });

  describe("posted the raw Bitcoin way", () => {
    let server: BitcoinRpcServer | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });

    /** The devnet's Bitcoin RPC through the bitcoin-core client. */
    async function bitcoinClient(c: Chains): Promise<BitcoinRpc> {
      server = await startBitcoinServer(c.devnet, { port: 0 });
      assert.equal(new URL(server.url).hostname, "127.0.0.1");
      return bitcoinRpc(new Client({ host: server.url, username: "devnet", password: "devnet" }));
    }

    /** Funds the holder with `count` coins of 0.01 BTC from the dev wallet, mined in one block. */
    async function holderCoins(btc: BitcoinRpc, count: number) {
      const txids: string[] = [];
      for (let i = 0; i < count; i++) txids.push(await btc<string>("sendtoaddress", holderPayment.address!, 0.01));
      await btc("generatetoaddress", 1, minerAddress);
      const coins = [];
      for (const txid of txids) {
        const tx = BtcTransaction.fromHex(await btc<string>("getrawtransaction", txid));
        const vout = tx.outs.findIndex((o) => Buffer.from(o.script).equals(holderPayment.output!));
        assert.equal(tx.outs[vout].value, 1_000_000n);
        coins.push({ txid, vout, value: tx.outs[vout].value, script: holderPayment.output! });
      }
      return coins;
    }

    /** A Bitcoin transaction with an OP_RETURN "BTLF" + `data`, the change back to the holder; sent with sendrawtransaction. */
    async function postForced(btc: BitcoinRpc, coin: Awaited<ReturnType<typeof holderCoins>>[number], data: Uint8Array): Promise<string> {
      const embed = payments.embed({ data: [Buffer.concat([FORCED_MARKER, data])] });
      const tx = spendP2wpkh(
        holder,
        [coin],
        [
          { script: embed.output!, value: 0n },
          { script: holderPayment.output!, value: coin.value - 10_000n },
        ],
      );
      const txid = await btc<string>("sendrawtransaction", tx.toHex());
      assert.equal(txid, tx.getId());
      return txid;
    }

    it("a BTLF transaction built with bitcoinjs-lib and sent with sendrawtransaction is included on the L2 at its 6th confirmation", async () => {
      const c = await start();
      const btc = await bitcoinClient(c);
      const user = new Wallet(userKey(0x12));
      const to = p2trAddress(Buffer.alloc(32, 0x22));
      const amount = 4_321_000n;
      await fund(c, user.address, BTC);
      const [coin] = await holderCoins(btc, 1);
      const raw = await signWithdraw(user, to.address, amount);
      const hash = keccak256(raw);
      const txid = await postForced(btc, coin, getBytes(raw));
      assert.deepEqual(await btc<string[]>("getrawmempool"), [txid]);
      const latest = await c.blockNumber("latest");

      await btc("generatetoaddress", 5, minerAddress);
      let f = await forced(c, txid);
      assert.equal(f.status, "pending", "5 confirmations are not enough");
      assert.equal(f.transactionHash, hash);
      assert.equal(f.from?.toLowerCase(), user.address.toLowerCase());
      assert.equal(f.deadline, (await bitcoinTime(c, f.height)) + WINDOW);
      assert.equal(await c.blockNumber("latest"), latest, "no L2 block yet");
      assert.equal(await c.rpc("eth_getTransactionByHash", [hash]), null);

      await btc("generatetoaddress", 1, minerAddress);
      f = await forced(c, txid);
      assert.equal(f.status, "included");
      assert.equal(f.includedIn, hexOf(latest + 1));
      await assertInBlock(c, f.includedIn, hash, user.address);
      assert.equal((await c.rpc<Receipt>("eth_getTransactionReceipt", [hash])).status, "0x1");

      // …and paid as any withdrawal once its batch is hard final.
      await c.warp({ until: "hard", tx: hash });
      await c.rpc("bitlayer_mineBitcoin", [1]);
      const w = await withdrawal(c, hash);
      assert.equal(w?.status, "paid");
      const index = new OutputIndex(c.devnet);
      await index.sync();
      assert.deepEqual(
        index.paying(to.script).map((o) => [o.txid, o.value]),
        [[w?.payment?.txid, amount - FEE_SATS]],
      );
      await assertAccountingHolds(c);
    });

    it("BTLF + bytes that do not decode (an RLP list of junk, an unsigned transaction) is recorded as rejected and never halts the L2", async () => {
      const c = await start();
      const btc = await bitcoinClient(c);
      const user = new Wallet(userKey(0x13));
      const junkList = encodeRlp(["0x01", "0x0203", "0x" + "ab".repeat(30)]);
      const unsigned = unsignedWithdrawTx();
      await fund(c, user.address, BTC);
      const coins = await holderCoins(btc, 2);
      const txids = [await postForced(btc, coins[0], getBytes(junkList)), await postForced(btc, coins[1], getBytes(unsigned))];
      const latest = await c.blockNumber("latest");
      await btc("generatetoaddress", 6, minerAddress);
      for (const txid of txids) {
        const f = await forced(c, txid);
        assert.ok(f, `forced transaction ${txid} is recorded`);
        assert.equal(f.status, "rejected");
        assert.match(f.problem ?? "", /does not decode/);
        assert.equal(f.transactionHash, null);
        assert.equal(f.includedIn, null);
      }
      assert.equal(await c.blockNumber("latest"), latest, "nothing reached the L2");

      await c.warp(WINDOW + 2 * BLOCK_TIME);
      assert.equal((await c.status()).halted, null);
      for (const txid of txids) assert.equal((await forced(c, txid)).status, "rejected");
      assert.equal((await c.rpc<Receipt>("eth_getTransactionReceipt", [await c.transfer(1n)])).status, "0x1");
      await assertAccountingHolds(c);
    });

    it("BTLF + a few junk bytes (0x1234) is recorded as rejected too", async () => {
      const c = await start();
      const btc = await bitcoinClient(c);
      const [coin] = await holderCoins(btc, 1);
      const txid = await postForced(btc, coin, Buffer.from("1234", "hex"));
      await btc("generatetoaddress", 6, minerAddress);
      const f = await forced(c, txid);
      assert.ok(f, "the forced transaction is recorded (bitlayer_getForcedTransaction answered null)");
      assert.equal(f.status, "rejected");
      assert.match(f.problem ?? "", /does not decode/);
      await c.warp(WINDOW + 2 * BLOCK_TIME);
      assert.equal((await c.status()).halted, null);
    });
  });

  it("a censoring sequencer: not included while the L2 runs on; past 72 h the L2 halts and the escape hatch pays from the last hard-final state; bitlayer_recover includes it without paying twice", async () => {
    const c = await start();
    const { user, to, amount, fundingBlock, hash, posted } = await postCensored(c);
    assert.equal(posted.status, "censored");
    assert.equal(posted.transactionHash, hash);
    assert.equal(posted.includedIn, null);
    assert.equal(posted.escape, null);
    assert.equal(posted.deadline, (await bitcoinTime(c, posted.height)) + WINDOW);
    assert.equal(await c.rpc("eth_getTransactionByHash", [hash]), null, "not on the L2");
    assert.equal(await c.rpc("eth_getTransactionCount", [user.address, "latest"]), "0x0");

    // The L2 keeps running meanwhile.
    const other = await c.transfer(7n, 0, 1);
    assert.equal((await c.rpc<Receipt>("eth_getTransactionReceipt", [other])).status, "0x1");
    assert.equal((await forced(c, posted.txid)).status, "censored");

    // Just before the deadline: not halted, still censored.
    await c.warp(posted.deadline - 1 - (await c.status()).time);
    let status = await c.status();
    assert.equal(status.time, posted.deadline - 1);
    assert.equal(status.halted, null);
    assert.ok((await bitcoinTime(c, status.bitcoin.height)) < posted.deadline);
    assert.equal((await forced(c, posted.txid)).status, "censored");
    const late = await c.transfer(8n, 0, 1);
    const lateReceipt = await c.rpc<Receipt>("eth_getTransactionReceipt", [late]);
    assert.equal(lateReceipt.status, "0x1");
    assert.equal(
      Number((await c.block(lateReceipt.blockNumber)).timestamp),
      posted.deadline - 1,
      "the L2 block's time: the deadline less 1 s",
    );
    const finalizedBefore = (await c.block("finalized")).number;
    assert.equal(finalizedBefore, fundingBlock, "the last hard-final block is still the funding one");

    // Past the deadline: the first Bitcoin block at or after it halts the L2.
    await c.warp(BLOCK_TIME);
    status = await c.status();
    const halt = status.halted as ForcedHaltView | null;
    assert.ok(halt, "halted");
    assert.equal(halt.forced, posted.txid);
    assert.ok(halt.reason.includes(hash), `the reason names the L2 transaction: ${halt.reason}`);
    assert.ok(halt.reason.includes(posted.txid), `the reason names the Bitcoin transaction: ${halt.reason}`);
    assert.match(halt.reason, /72 h/);
    assert.equal(halt.bitcoinHeight, status.bitcoin.height);
    assert.equal(halt.bitcoinBlock, status.bitcoin.bestBlockHash);
    assert.ok((await bitcoinTime(c, halt.bitcoinHeight)) >= posted.deadline);
    assert.ok((await bitcoinTime(c, halt.bitcoinHeight - 1)) < posted.deadline);

    const error = await refused(
      c.rpc("eth_sendTransaction", [{ from: c.address(0), to: c.address(1), value: "0x1" }]),
      "L2_HALTED",
      -32000,
      /halted/,
    );
    assert.ok(error.message.includes(hash), error.message);
    await refused(c.rpc("evm_mine"), "L2_HALTED", -32000, /halted/);

    // The escape hatch: run on the last hard-final state, paid on Bitcoin in the halting block.
    const f = await forced(c, posted.txid);
    assert.equal(f.status, "escaped");
    assert.equal(f.includedIn, null);
    assert.ok(f.escape);
    assert.equal(f.escape.finalizedBlock, fundingBlock);
    assert.equal(f.escape.amountSats, Number(amount));
    assert.match(f.escape.withdrawal ?? "", /^0x[0-9a-f]{64}$/);
    assert.equal(f.escape.problem, null);
    assert.ok(f.escape.payment);
    assert.equal(f.escape.payment.height, halt.bitcoinHeight);
    const escapeTxid = f.escape.payment.txid;
    const { tx: payout, confirmations } = await bitcoinTx(c, escapeTxid);
    assert.equal(confirmations, 1, "mined");
    assert.deepEqual(
      payout.outs.filter((o) => Buffer.from(o.script).equals(to.script)).map((o) => o.value),
      [amount - FEE_SATS],
    );
    assert.equal(await feeOf(c, payout), FEE_SATS);
    let books = await assertAccountingHolds(c);
    assert.equal(books.bitcoin.paidOutSats, Number(amount));
    assert.equal(books.l2.burnedSats, 0, "nothing burned on the L2 yet");

    // Recovery: back to the last hard-final block; the forced transaction is in the next block.
    const recovered = await c.rpc<{ rolledBackTo: string; droppedBlocks: string }>("bitlayer_recover");
    assert.equal(recovered.rolledBackTo, fundingBlock);
    assert.equal(recovered.droppedBlocks, "0x2", "the two transfers' blocks");
    assert.equal((await c.status()).halted, null);
    assert.equal((await c.rpc<{ censoring: boolean }>("bitlayer_bridgeInfo")).censoring, false);
    assert.equal(await c.rpc("eth_getTransactionReceipt", [late]), null);
    await c.rpc("evm_mine");
    const included = await forced(c, posted.txid);
    assert.equal(included.status, "included");
    assert.equal(included.includedIn, hexOf(BigInt(fundingBlock) + 1n));
    assert.equal(included.escape?.payment?.txid, escapeTxid, "the escape stays on record");
    await assertInBlock(c, hexOf(BigInt(fundingBlock) + 1n), hash, user.address);
    assert.equal((await c.rpc<Receipt>("eth_getTransactionReceipt", [hash])).status, "0x1");

    // Its batch goes hard final: the bridge must not pay it a second time.
    await c.warp({ until: "hard", tx: hash });
    await c.rpc("bitlayer_mineBitcoin", [3]);
    const w = await withdrawal(c, hash);
    assert.equal(w?.status, "paid");
    assert.equal(w?.paidBy, "bridge (escape hatch)");
    assert.equal(w?.payment?.txid, escapeTxid);
    assert.equal(w?.amountSats, Number(amount));
    const index = new OutputIndex(c.devnet);
    await index.sync();
    assert.deepEqual(
      index.paying(to.script).map((o) => [o.txid, o.value]),
      [[escapeTxid, amount - FEE_SATS]],
      "exactly one Bitcoin output to the address across the chain",
    );
    assert.deepEqual(await c.bitcoin<string[]>("getrawmempool"), []);
    books = await assertAccountingHolds(c);
    assert.equal(books.bitcoin.paidOutSats, Number(amount));
    assert.equal(books.l2.burnedSats, Number(amount));
    assert.equal(books.outstandingSats, 0);
  });

  it("the L2_HALTED error of a censorship halt names the Bitcoin block that halted it", async () => {
    const c = await start();
    const { posted } = await postCensored(c);
    await c.warp(posted.deadline - (await c.status()).time + BLOCK_TIME);
    const halt = (await c.status()).halted as ForcedHaltView | null;
    assert.ok(halt);
    assert.match(halt.bitcoinBlock, /^[0-9a-f]{64}$/);
    const error = await refused(c.transfer(1n), "L2_HALTED", -32000);
    assert.ok(error.message.includes(halt.bitcoinBlock), `the message names block ${halt.bitcoinBlock}: ${error.message}`);
    assert.equal((error.data as { bitcoinBlock?: string }).bitcoinBlock, halt.bitcoinBlock);
  });

  it("censorship switched off before the deadline: the forced withdraw is included and the L2 never halts", async () => {
    const c = await start();
    const { user, hash, posted } = await postCensored(c);
    assert.equal(posted.status, "censored");
    await c.warp(posted.deadline - 3600 - (await c.status()).time);
    assert.equal((await forced(c, posted.txid)).status, "censored");
    assert.equal(await c.rpc("bitlayer_setCensorship", [false]), true);
    const latest = await c.blockNumber("latest");
    await c.warp(BLOCK_TIME);
    const f = await forced(c, posted.txid);
    assert.equal(f.status, "included", "the next Bitcoin block brings it to the L2");
    assert.equal(f.includedIn, hexOf(latest + 1));
    await assertInBlock(c, hexOf(latest + 1), hash, user.address);
    await c.warp(2 * WINDOW);
    assert.equal((await c.status()).halted, null);
    assert.equal((await forced(c, posted.txid)).escape, null);
    await assertAccountingHolds(c);
  });

  it("two forced withdrawals spending the same nonce, overdue together: the escape pays only what the last hard-final state allows", async () => {
    const c = await start();
    const user = new Wallet(userKey(0x18));
    const first = p2wpkhAddress(Buffer.alloc(32, 0x28));
    const second = p2wpkhAddress(Buffer.alloc(32, 0x29));
    const amount = 60_000_000n; // 0.6 BTC each, from 1 BTC: only one of the two can ever run
    const funding = await fund(c, user.address, BTC);
    await c.warp({ until: "hard", tx: funding });
    await c.warp(100); // off the Bitcoin block schedule: both deadlines fall before the same block
    await c.rpc("bitlayer_setCensorship", [true]);
    const a = await c.rpc<ForcedView>("bitlayer_forceWithdrawal", [await signWithdraw(user, first.address, amount, { nonce: 0 })]);
    const b = await c.rpc<ForcedView>("bitlayer_forceWithdrawal", [await signWithdraw(user, second.address, amount, { nonce: 0 })]);
    const next = (await c.status()).bitcoin.nextBlockAt;
    const haltingSlot = next + Math.ceil((b.deadline - next) / BLOCK_TIME) * BLOCK_TIME;
    assert.ok(a.deadline > haltingSlot - BLOCK_TIME && b.deadline <= haltingSlot, "both are overdue in the same Bitcoin block");

    await c.warp(haltingSlot - (await c.status()).time);
    assert.ok((await c.status()).halted);
    const escapes = [await forced(c, a.txid), await forced(c, b.txid)].map((f) => f.escape);
    const paid = escapes.filter((e) => e?.payment);
    assert.equal(paid.length, 1, `one payment, not ${paid.length}: ${JSON.stringify(escapes)}`);
    let books = await assertAccountingHolds(c);
    assert.equal(books.bitcoin.paidOutSats, Number(amount));

    await c.rpc("bitlayer_recover");
    await c.rpc("evm_mine");
    await c.warp({ until: "hard", block: await c.blockNumber("latest") });
    books = await assertAccountingHolds(c);
    assert.equal(books.bitcoin.paidOutSats, books.l2.burnedSats, "every sat paid on Bitcoin was burned on the L2");
  });

  it("time passing between the halt and bitlayer_recover: the recovery goes back to the state the escape ran on", async () => {
    const c = await start();
    const { user, amount, hash, posted } = await postCensored(c);
    // While censored, the user's own transaction spends nonce 0 and most of the balance (included at once).
    const moved = await c.rpc<string>("eth_sendRawTransaction", [
      await user.signTransaction({
        type: 2,
        chainId: CHAIN_ID,
        nonce: 0,
        to: c.address(5),
        value: (9n * BTC) / 10n,
        gasLimit: 21_000n,
        maxFeePerGas: 10n ** 10n,
        maxPriorityFeePerGas: 10n ** 9n,
      }),
    ]);
    assert.equal((await c.rpc<Receipt>("eth_getTransactionReceipt", [moved])).status, "0x1");
    await c.warp(posted.deadline - (await c.status()).time + BLOCK_TIME);
    const f = await forced(c, posted.txid);
    assert.ok((await c.status()).halted);
    assert.ok(f.escape?.payment, "paid from the last hard-final state, where nonce 0 was free");

    // A week passes before anyone recovers.
    await c.warp(8 * 24 * 3600);
    const recovered = await c.rpc<{ rolledBackTo: string }>("bitlayer_recover");
    await c.rpc("evm_mine");
    const after = await forced(c, posted.txid);
    assert.equal(after.status, "included", `the withdrawal paid by the escape must be burned on the L2 (${after.problem})`);
    assert.equal((await c.rpc<Receipt>("eth_getTransactionReceipt", [hash])).status, "0x1");
    assert.equal(recovered.rolledBackTo, f.escape.finalizedBlock, "back to the state the escape paid from");
    await c.warp({ until: "hard", tx: hash });
    await c.rpc("bitlayer_mineBitcoin", [2]);
    const books = await assertAccountingHolds(c);
    assert.equal(books.bitcoin.paidOutSats, Number(amount));
    assert.equal(books.bitcoin.paidOutSats, books.l2.burnedSats, "every sat paid on Bitcoin was burned on the L2");
  });

  describe("a forced transaction the sequencer already included the normal way (eth_sendRawTransaction)", () => {
    /** A funded user's withdraw, mined from the pool, then posted on Bitcoin as well. */
    async function sentTwice(c: Chains, censoring: boolean) {
      const user = new Wallet(userKey(0x19));
      await fund(c, user.address, BTC);
      await c.rpc("bitlayer_setCensorship", [censoring]);
      const raw = await signWithdraw(user, p2wpkhAddress(Buffer.alloc(32, 0x2a)).address, 60_000n);
      const hash = await c.rpc<string>("eth_sendRawTransaction", [raw]);
      const receipt = await c.rpc<Receipt>("eth_getTransactionReceipt", [hash]);
      assert.equal(receipt.status, "0x1");
      return { hash, receipt, posted: await c.rpc<ForcedView>("bitlayer_forceWithdrawal", [raw]) };
    }

    it("is reported included (in the block that holds it), not dropped", async () => {
      const c = await start();
      const { hash, receipt, posted } = await sentTwice(c, false);
      assert.equal(posted.transactionHash, hash);
      assert.equal(posted.status, "included", `status ${posted.status}: ${posted.problem}`);
      assert.equal(posted.includedIn, receipt.blockNumber);
    });

    it("does not halt the L2 when its window passes under a censoring sequencer", async () => {
      const c = await start();
      const { posted } = await sentTwice(c, true);
      await c.warp(posted.deadline - (await c.status()).time + BLOCK_TIME);
      const halt = (await c.status()).halted as ForcedHaltView | null;
      assert.equal(halt, null, `halted although the transaction is on the L2: ${halt?.reason}`);
    });
  });

  it("evm_revert to a snapshot taken before the halt undoes it: running, censored again, the escape's payment gone from Bitcoin", async () => {
    const c = await start();
    const { to, posted } = await postCensored(c);
    const snapshot = await c.rpc<string>("evm_snapshot");
    const tip = await c.bitcoin<string>("getbestblockhash");
    await c.warp(posted.deadline - (await c.status()).time + BLOCK_TIME);
    assert.ok((await c.status()).halted);
    const payment = (await forced(c, posted.txid)).escape?.payment;
    assert.ok(payment);

    assert.equal(await c.rpc("evm_revert", [snapshot]), true);
    assert.equal((await c.status()).halted, null);
    assert.equal(await c.bitcoin<string>("getbestblockhash"), tip);
    const f = await forced(c, posted.txid);
    assert.equal(f.status, "censored");
    assert.equal(f.escape, null);
    await assert.rejects(c.bitcoin("getrawtransaction", [payment.txid]), { code: -5 }, "the escape's payment is not on Bitcoin any more");
    const index = new OutputIndex(c.devnet);
    await index.sync();
    assert.deepEqual(index.paying(to.script), []);
    assert.equal((await c.rpc<Receipt>("eth_getTransactionReceipt", [await c.transfer(1n)])).status, "0x1");
    const books = await assertAccountingHolds(c);
    assert.equal(books.bitcoin.paidOutSats, 0);
  });

  it("the window is configurable: with forceInclusionWindow 3600 the L2 halts after 1 h, not before", async () => {
    const c = await start({ bridge: { forceInclusionWindow: 3600 } });
    assert.equal((await c.rpc<{ forceInclusionWindow: number }>("bitlayer_bridgeInfo")).forceInclusionWindow, 3600);
    const user = new Wallet(userKey(0x14));
    const to = p2wpkhAddress(Buffer.alloc(32, 0x24));
    await fund(c, user.address, BTC);
    await c.rpc("bitlayer_setCensorship", [true]);
    const f = await c.rpc<ForcedView>("bitlayer_forceWithdrawal", [await signWithdraw(user, to.address, 50_000n)]);
    assert.equal(f.status, "censored");
    assert.equal(f.deadline, (await bitcoinTime(c, f.height)) + 3600);

    await c.warp(f.deadline - 1 - (await c.status()).time);
    assert.equal((await c.status()).halted, null, "not halted 1 s before the hour");
    assert.equal((await forced(c, f.txid)).status, "censored");

    await c.warp(BLOCK_TIME);
    const status = await c.status();
    const halt = status.halted as ForcedHaltView | null;
    assert.ok(halt, "halted once the hour passed");
    assert.equal(halt.forced, f.txid);
    assert.match(halt.reason, /1 h force-inclusion window/);
    assert.ok(status.time - f.deadline < BLOCK_TIME, "within one Bitcoin block of the deadline");
    assert.ok((await bitcoinTime(c, halt.bitcoinHeight)) >= f.deadline);
    assert.ok((await bitcoinTime(c, halt.bitcoinHeight - 1)) < f.deadline);

    // Nothing is final yet (the window is 7 days): on the last hard-final state (genesis) the user had
    // no funds, so the escape has nothing to pay.
    const escaped = await forced(c, f.txid);
    assert.equal(escaped.status, "escaped");
    assert.equal(escaped.escape?.finalizedBlock, "0x0");
    assert.equal(escaped.escape?.payment, null);
    assert.ok(escaped.escape?.problem, "the escape says why it paid nothing");
    const index = new OutputIndex(c.devnet);
    await index.sync();
    assert.deepEqual(index.paying(to.script), []);
    const books = await assertAccountingHolds(c);
    assert.equal(books.bitcoin.paidOutSats, 0);
  });

  describe("bad input", () => {
    /** What must not change when a request is refused. */
    async function observable(c: Chains) {
      return {
        height: await c.bitcoinHeight(),
        tip: await c.bitcoin<string>("getbestblockhash"),
        mempool: await c.bitcoin<string[]>("getrawmempool"),
        balance: await c.bitcoin<number>("getbalance"),
        latest: await c.blockNumber("latest"),
        books: await c.rpc<AccountingView>("bitlayer_bridgeAccounting"),
      };
    }

    it("bitlayer_forceWithdrawal refuses bytes that do not decode as an L2 transaction, with nothing sent or mined", async () => {
      const c = await start();
      const user = new Wallet(userKey(0x15));
      await fund(c, user.address, BTC);
      const unsigned = unsignedWithdrawTx();
      const legacyUnsigned = Transaction.from({
        type: 0,
        nonce: 0,
        to: BITCOIN_BRIDGE.address,
        gasLimit: 300_000n,
        gasPrice: 10n ** 9n,
      }).unsignedSerialized;
      const otherChain = await signWithdraw(new Wallet(userKey(0x15)), p2wpkhAddress(Buffer.alloc(32, 0x25)).address, 5000n, {
        chainId: 1n,
      });
      const before = await observable(c);
      for (const [what, junk] of [
        ["two bytes", "0x1234"],
        ["an RLP list of junk", encodeRlp(["0x01", "0x0203", "0x" + "ab".repeat(30)])],
        ["an unsigned EIP-1559 transaction", unsigned],
        ["an unsigned legacy transaction", legacyUnsigned],
        ["a transaction signed for another chain", otherChain],
      ]) {
        const error = await refused(c.rpc("bitlayer_forceWithdrawal", [junk]), "INVALID_PARAMS", -32602, /does not decode/);
        assert.match(error.message, /bitlayer_forceWithdrawal/, `${what}: ${error.message}`);
        assert.deepEqual(await observable(c), before, `${what}: nothing changed`);
      }
      // Larger than one standard Bitcoin transaction carries: refused before anything is decoded or sent.
      const huge = `0x${"ab".repeat(64 * 1024 + 1)}`;
      await refused(c.rpc("bitlayer_forceWithdrawal", [huge]), "INVALID_PARAMS", -32602, /65537 bytes; at most 65536/);
      assert.deepEqual(await observable(c), before, "too large: nothing changed");
    });

    it("a forced transaction that decodes but cannot run (nonce already used, no funds) is dropped with the reason, and never halts the L2", async () => {
      const c = await start();
      const user = new Wallet(userKey(0x16));
      const poor = new Wallet(userKey(0x17));
      const to = p2wpkhAddress(Buffer.alloc(32, 0x26));
      await fund(c, user.address, BTC);
      // The user spends nonce 0 on the L2 first.
      const sent = await c.rpc<string>("eth_sendRawTransaction", [await signWithdraw(user, to.address, 3000n)]);
      assert.equal((await c.rpc<Receipt>("eth_getTransactionReceipt", [sent])).status, "0x1");
      const before = await c.rpc<AccountingView>("bitlayer_bridgeAccounting");

      const reused = await signWithdraw(user, to.address, 7000n, { nonce: 0 });
      const stale = await c.rpc<ForcedView>("bitlayer_forceWithdrawal", [reused]);
      assert.equal(stale.status, "dropped");
      assert.match(stale.problem ?? "", /nonce/i);
      assert.equal(stale.includedIn, null);
      assert.equal(await c.rpc("eth_getTransactionByHash", [keccak256(reused)]), null);

      const broke = await signWithdraw(poor, to.address, 7000n);
      const unfunded = await c.rpc<ForcedView>("bitlayer_forceWithdrawal", [broke]);
      assert.equal(unfunded.status, "dropped");
      assert.match(unfunded.problem ?? "", /fund|balance/i);
      assert.equal(await c.rpc("eth_getTransactionByHash", [keccak256(broke)]), null);

      const after = await assertAccountingHolds(c);
      assert.equal(after.l2.burnedSats, before.l2.burnedSats, "nothing burned");
      assert.equal(await withdrawal(c, keccak256(reused)), null);
      assert.equal(await withdrawal(c, keccak256(broke)), null);

      await c.warp(WINDOW + 2 * BLOCK_TIME);
      assert.equal((await c.status()).halted, null, "a dropped forced transaction does not halt the L2");
      assert.equal((await forced(c, stale.txid)).status, "dropped");
      assert.equal((await forced(c, unfunded.txid)).status, "dropped");
      assert.equal((await c.rpc<Receipt>("eth_getTransactionReceipt", [await c.transfer(1n)])).status, "0x1");
    });
  });
});
