// The bitcoin-core npm client against a devnet's Bitcoin RPC server (startBitcoinServer), as a user's
// tooling would drive it: reading blocks and transactions, funding a key the test holds, spending it
// with bitcoinjs-lib, being refused as Core refuses, and settling L2 blocks with generatetoaddress.

import assert from "node:assert/strict";
import Client from "bitcoin-core";
import { Block, payments, Transaction } from "bitcoinjs-lib";
import { type BitcoinRpcServer, createDevnet, type Devnet, type DevnetServer, startBitcoinServer, startServer } from "../src/index.js";
import { ECPair, spendP2wpkh } from "./support/bitcoin.js";
import {
  type BitcoinRpc,
  bitcoinRpc,
  CONFIRMATIONS,
  failure,
  GENESIS_TIMESTAMP,
  hex,
  type L2Rpc,
  l2Rpc,
  regtest,
  sats,
  txidOf,
  type VerboseTx,
} from "./support/claims.js";

/** A key only this test holds: the wallet cannot see or spend its coins. */
const holder = ECPair.fromPrivateKey(Buffer.alloc(32, 0x11));
const holderPayment = payments.p2wpkh({ pubkey: holder.publicKey, network: regtest });
/** Where generatetoaddress pays its rewards: outside the wallet, so that mining leaves the wallet's coins alone. */
const minerPayment = payments.p2wpkh({ pubkey: ECPair.fromPrivateKey(Buffer.alloc(32, 0x22)).publicKey, network: regtest });

interface Coin {
  txid: string;
  vout: number;
  value: bigint;
}

interface WalletCoin {
  txid: string;
  vout: number;
  address: string;
  amount: number;
  confirmations: number;
  safe: boolean;
}

/** A P2WPKH spend of the holder's coin, signed with bitcoinjs-lib's Psbt (version 2; no BIP125 signal unless `sequence` says so). */
function holderSpend(coin: Coin, outputs: { script: Uint8Array; value: bigint }[], sequence?: number): Transaction {
  return spendP2wpkh(holder, [{ ...coin, script: holderPayment.output! }], outputs, { sequence });
}

describe("settlement: the bitcoin-core client against a devnet's Bitcoin RPC server", () => {
  let devnet: Devnet;
  let bitcoinServer: BitcoinRpcServer;
  let l2Server: DevnetServer;
  let btc: BitcoinRpc;
  let l2: L2Rpc;

  /** The fee `tx` pays: its inputs (read back over the RPC) less its outputs. */
  async function feeOf(tx: Transaction): Promise<bigint> {
    let input = 0n;
    for (const i of tx.ins) input += Transaction.fromHex(await btc<string>("getrawtransaction", txidOf(i.hash))).outs[i.index].value;
    return input - tx.outs.reduce((sum, o) => sum + o.value, 0n);
  }

  /** Sends `amount` BTC from the dev wallet to the holder and mines it: the holder's new coin, 1 confirmation deep. */
  async function fund(amount: number): Promise<Coin & { height: number }> {
    const txid = await btc<string>("sendtoaddress", holderPayment.address!, amount);
    const [blockHash] = await btc<string[]>("generatetoaddress", 1, minerPayment.address!);
    const tx = Transaction.fromHex(await btc<string>("getrawtransaction", txid));
    const vout = tx.outs.findIndex((o) => hex(o.script) === hex(holderPayment.output!));
    assert.equal(tx.outs[vout].value, sats(amount));
    const { height } = await btc<{ height: number }>("getblockheader", blockHash);
    return { txid, vout, value: tx.outs[vout].value, height };
  }

  before(async () => {
    devnet = await createDevnet({ genesisTimestamp: GENESIS_TIMESTAMP });
    bitcoinServer = await startBitcoinServer(devnet, { port: 0 });
    l2Server = await startServer(devnet, { host: "127.0.0.1", port: 0 });
    btc = bitcoinRpc(new Client({ host: bitcoinServer.url, username: "devnet", password: "devnet" }));
    l2 = l2Rpc(l2Server.url);
  });

  after(async () => {
    await bitcoinServer?.close();
    await l2Server?.close();
    await devnet?.close();
  });

  it("listens on loopback and answers for the premined regtest chain", async () => {
    assert.equal(new URL(bitcoinServer.url).hostname, "127.0.0.1");
    assert.equal(new URL(l2Server.url).hostname, "127.0.0.1");
    const info = await btc<{ chain: string; blocks: number; bestblockhash: string }>("getblockchaininfo");
    assert.equal(info.chain, "regtest");
    assert.equal(info.blocks, await btc<number>("getblockcount"));
    assert.equal(info.bestblockhash, await btc<string>("getbestblockhash"));
    assert.ok(info.blocks >= 110, "110 blocks are premined");
  });

  it("reads blocks at verbosity 0, 1 and 2 and their headers, as bitcoinjs-lib parses the raw block", async () => {
    await fund(0.3); // a tip holding a segwit payment: a witness commitment, two transactions
    const tip = await btc<number>("getblockcount");
    for (const height of [0, 1, tip]) {
      const hash = await btc<string>("getblockhash", height);
      const raw = await btc<string>("getblock", hash, 0);
      const block = Block.fromHex(raw);
      assert.equal(block.getId(), hash);
      assert.ok(block.checkProofOfWork() && block.checkTxRoots());
      const txids = block.transactions!.map((t) => t.getId());
      const v1 = await btc<Record<string, unknown>>("getblock", hash, 1);
      assert.deepEqual(await btc("getblock", hash), v1, "verbosity 1 is the default");
      assert.equal(v1.hash, hash);
      assert.equal(v1.height, height);
      assert.equal(v1.confirmations, tip - height + 1);
      assert.equal(v1.merkleroot, txidOf(block.merkleRoot!));
      assert.equal(v1.previousblockhash, height === 0 ? undefined : txidOf(block.prevHash!));
      assert.equal(v1.time, block.timestamp);
      assert.equal(v1.nonce, block.nonce);
      assert.equal(v1.bits, "207fffff");
      assert.equal(v1.version, block.version);
      assert.equal(v1.size, block.byteLength());
      assert.equal(v1.weight, block.weight());
      assert.equal(v1.nTx, txids.length);
      assert.deepEqual(v1.tx, txids);
      const v2 = await btc<{ tx: { txid: string; hex: string; hash: string }[] }>("getblock", hash, 2);
      assert.deepEqual(
        v2.tx.map((t) => [t.txid, t.hash, t.hex]),
        block.transactions!.map((t) => [t.getId(), txidOf(t.getHash(true)), t.toHex()]),
      );
      assert.equal(await btc("getblockheader", hash, false), raw.slice(0, 160));
      assert.equal(await btc("getblockheader", hash, false), block.toHex(true));
      const header = await btc<Record<string, unknown>>("getblockheader", hash);
      for (const field of ["hash", "height", "confirmations", "merkleroot", "previousblockhash", "time", "nonce", "bits", "version"]) {
        assert.deepEqual(header[field], v1[field], `getblockheader's ${field}`);
      }
      assert.equal(header.nTx, txids.length);
      assert.equal(header.chainwork, ((height + 1) * 2).toString(16).padStart(64, "0"), "regtest blocks prove 2 units of work each");
      const times: number[] = [];
      for (let h = Math.max(0, height - 10); h <= height; h++) {
        times.push((await btc<{ time: number }>("getblockheader", await btc<string>("getblockhash", h))).time);
      }
      times.sort((a, b) => a - b);
      assert.equal(header.mediantime, times[Math.floor(times.length / 2)], "mediantime: the median of the last 11 blocks' times");
      assert.equal(header.nextblockhash, height === tip ? undefined : await btc<string>("getblockhash", height + 1));
    }
  });

  it("reads transactions with getrawtransaction and decoderawtransaction, as bitcoinjs-lib parses them", async () => {
    const coin = await fund(0.4);
    const raw = await btc<string>("getrawtransaction", coin.txid);
    const tx = Transaction.fromHex(raw);
    assert.equal(tx.getId(), coin.txid);
    const verbose = await btc<VerboseTx>("getrawtransaction", coin.txid, true);
    assert.equal(verbose.hex, raw);
    assert.equal(verbose.confirmations, 1);
    assert.equal(verbose.blockhash, await btc<string>("getbestblockhash"));
    assert.deepEqual(
      { txid: verbose.txid, hash: verbose.hash, version: verbose.version, locktime: verbose.locktime },
      { txid: tx.getId(), hash: txidOf(tx.getHash(true)), version: tx.version, locktime: tx.locktime },
    );
    assert.deepEqual([verbose.size, verbose.vsize, verbose.weight], [tx.byteLength(), tx.virtualSize(), tx.weight()]);
    assert.deepEqual(
      verbose.vin.map((i) => [i.txid, i.vout, i.sequence, i.txinwitness]),
      tx.ins.map((i) => [txidOf(i.hash), i.index, i.sequence, i.witness.map(hex)]),
    );
    assert.deepEqual(
      verbose.vout.map((o) => [sats(o.value), o.n, o.scriptPubKey.hex]),
      tx.outs.map((o, n) => [o.value, n, hex(o.script)]),
    );
    const paid = verbose.vout[coin.vout].scriptPubKey;
    assert.deepEqual([paid.address, paid.type], [holderPayment.address, "witness_v0_keyhash"]);
    const decoded = await btc<Record<string, unknown>>("decoderawtransaction", raw);
    const {
      hex: _hex,
      blockhash: _b,
      confirmations: _c,
      time: _t,
      blocktime: _bt,
      ...rest
    } = verbose as VerboseTx & Record<string, unknown>;
    assert.deepEqual(decoded, rest, "decoderawtransaction shows what getrawtransaction shows, less the block");
    // a coinbase: block 1's, which the premine paid to the operator
    const coinbaseTxid = (await btc<{ tx: string[] }>("getblock", await btc<string>("getblockhash", 1))).tx[0];
    const coinbase = await btc<VerboseTx>("getrawtransaction", coinbaseTxid, true);
    assert.ok(coinbase.vin[0].coinbase?.startsWith("51"), "BIP34: OP_1 for height 1");
    assert.equal(coinbase.vout[0].value, 50);
    assert.equal(coinbase.vout[0].scriptPubKey.type, "witness_v1_taproot");
  });

  it("funds the holder's key, mines its bitcoinjs-signed spend, and the wallet's balance and coins follow", async () => {
    const balance0 = sats(await btc<number>("getbalance"));
    const fundTxid = await btc<string>("sendtoaddress", holderPayment.address!, 1.5);
    const funding = Transaction.fromHex(await btc<string>("getrawtransaction", fundTxid));
    const fee = await feeOf(funding);
    assert.ok(fee > 0n);
    assert.equal(
      sats(await btc<number>("getbalance")),
      balance0 - 150_000_000n - fee,
      "the balance falls by the amount and the fee at once",
    );
    const pending = await btc<WalletCoin[]>("listunspent", 0);
    for (const i of funding.ins) {
      assert.ok(!pending.some((c) => c.txid === txidOf(i.hash) && c.vout === i.index), "the coins spent are gone");
    }
    const change = pending.filter((c) => c.txid === fundTxid);
    assert.equal(change.length, 1, "the change comes back to the wallet");
    assert.deepEqual([change[0].confirmations, change[0].safe], [0, true], "own change is trusted unconfirmed");

    const [fundBlock] = await btc<string[]>("generatetoaddress", 1, minerPayment.address!);
    assert.ok((await btc<{ tx: string[] }>("getblock", fundBlock)).tx.includes(fundTxid));
    const vout = funding.outs.findIndex((o) => hex(o.script) === hex(holderPayment.output!));
    const coin = { txid: fundTxid, vout, value: funding.outs[vout].value };
    assert.equal(coin.value, 150_000_000n);

    // the holder pays 1 BTC back to a new wallet address and keeps the rest
    const back = await btc<string>("getnewaddress");
    const backScript = payments.p2wpkh({ address: back, network: regtest }).output!;
    const spend = holderSpend(coin, [
      { script: backScript, value: 100_000_000n },
      { script: holderPayment.output!, value: coin.value - 100_000_000n - 1_500n },
    ]);
    const balance1 = sats(await btc<number>("getbalance"));
    assert.equal(await btc("sendrawtransaction", spend.toHex()), spend.getId());
    assert.ok((await btc<string[]>("getrawmempool")).includes(spend.getId()));
    const incoming = (await btc<WalletCoin[]>("listunspent", 0)).find((c) => c.txid === spend.getId());
    assert.ok(incoming, "the wallet sees the payment in the mempool");
    assert.deepEqual(
      [incoming.vout, incoming.address, sats(incoming.amount), incoming.confirmations, incoming.safe],
      [0, back, 100_000_000n, 0, false],
    );
    assert.equal(sats(await btc<number>("getbalance")), balance1, "others' unconfirmed payments are not in the balance");
    assert.ok(!(await btc<WalletCoin[]>("listunspent")).some((c) => c.txid === spend.getId()), "listunspent's default minconf is 1");

    const [mined] = await btc<string[]>("generatetoaddress", 1, minerPayment.address!);
    const verbose = await btc<VerboseTx>("getrawtransaction", spend.getId(), true);
    assert.deepEqual([verbose.blockhash, verbose.confirmations], [mined, 1]);
    assert.equal(await btc("gettxout", fundTxid, vout), null, "the spent output is gone");
    const kept = await btc<{ value: number; confirmations: number }>("gettxout", spend.getId(), 1);
    assert.deepEqual([sats(kept.value), kept.confirmations], [coin.value - 100_000_000n - 1_500n, 1]);
    assert.deepEqual([await feeOf(spend)], [1_500n]);
    const confirmed = (await btc<WalletCoin[]>("listunspent")).find((c) => c.txid === spend.getId());
    assert.deepEqual([confirmed?.confirmations, confirmed?.safe], [1, true]);
    // the balance is what listunspent shows as safe (immature coinbases are in neither)
    const balance2 = sats(await btc<number>("getbalance"));
    const safe = (await btc<WalletCoin[]>("listunspent", 0)).filter((c) => c.safe).reduce((sum, c) => sum + sats(c.amount), 0n);
    assert.equal(balance2, safe);
    assert.ok(balance2 >= balance1 + 100_000_000n, "the confirmed payment is in the balance");
  });

  it("refuses a double spend: txn-mempool-conflict while the first is pooled, bad-txns-inputs-missingorspent once it is mined", async () => {
    const coin = await fund(0.5);
    // the first spend does not signal BIP125 (nSequence 0xffffffff) and the second pays a lower fee
    const first = holderSpend(coin, [{ script: minerPayment.output!, value: coin.value - 2_000n }]);
    const second = holderSpend(coin, [{ script: holderPayment.output!, value: coin.value - 1_000n }]);
    assert.equal(first.ins[0].sequence, 0xffffffff);
    assert.equal(await btc("sendrawtransaction", first.toHex()), first.getId());
    const pooled = await btc<string[]>("getrawmempool");
    assert.deepEqual(await failure(btc("sendrawtransaction", second.toHex())), { code: -26, message: "txn-mempool-conflict" });
    assert.deepEqual(await btc("getrawmempool"), pooled, "the mempool is unchanged");
    const [mined] = await btc<string[]>("generatetoaddress", 1, minerPayment.address!);
    assert.ok((await btc<{ tx: string[] }>("getblock", mined)).tx.includes(first.getId()));
    assert.deepEqual(await failure(btc("sendrawtransaction", second.toHex())), { code: -25, message: "bad-txns-inputs-missingorspent" });
    assert.equal(await btc("gettxout", coin.txid, coin.vout), null);
  });

  it("refuses a spend locked 10 blocks (BIP68) with non-BIP68-final until its input is 10 blocks deep", async () => {
    const coin = await fund(0.2);
    const locked = holderSpend(coin, [{ script: minerPayment.output!, value: coin.value - 1_000n }], 10);
    assert.deepEqual([locked.version, locked.ins[0].sequence], [2, 10]);
    const depth = async () => (await btc<{ confirmations: number }>("gettxout", coin.txid, coin.vout)).confirmations;
    assert.equal(await depth(), 1);
    assert.deepEqual(await failure(btc("sendrawtransaction", locked.toHex())), { code: -26, message: "non-BIP68-final" });
    await btc("generatetoaddress", 8, minerPayment.address!);
    assert.equal(await depth(), 9);
    assert.deepEqual(
      await failure(btc("sendrawtransaction", locked.toHex())),
      { code: -26, message: "non-BIP68-final" },
      "9 deep is 1 short",
    );
    assert.ok(!(await btc<string[]>("getrawmempool")).includes(locked.getId()));
    await btc("generatetoaddress", 1, minerPayment.address!);
    assert.equal(await depth(), 10);
    assert.equal(await btc("sendrawtransaction", locked.toHex()), locked.getId(), "10 deep, it is final");
    const [mined] = await btc<string[]>("generatetoaddress", 1, minerPayment.address!);
    assert.equal(
      (await btc<{ height: number }>("getblockheader", mined)).height,
      coin.height + 10,
      "mined at the first height BIP68 allows",
    );
    assert.equal((await btc<VerboseTx>("getrawtransaction", locked.getId(), true)).blockhash, mined);
  });

  it("refuses wrong credentials with HTTP 401, and takes the ones a server was started with", async () => {
    const wrongPassword = new Client({ host: bitcoinServer.url, username: "devnet", password: "nope" });
    assert.equal((await failure(wrongPassword.command("getblockcount"))).code, 401);
    const wrongUser = new Client({ host: bitcoinServer.url, username: "root", password: "devnet" });
    assert.equal((await failure(wrongUser.command("getblockcount"))).code, 401);
    const custom = await startBitcoinServer(devnet, { port: 0, user: "alice", password: "s3cret" });
    try {
      assert.equal(new URL(custom.url).hostname, "127.0.0.1");
      const alice = new Client({ host: custom.url, username: "alice", password: "s3cret" });
      assert.equal(await alice.command("getbestblockhash"), await btc<string>("getbestblockhash"), "the same chain");
      const defaults = new Client({ host: custom.url, username: "devnet", password: "devnet" });
      assert.equal((await failure(defaults.command("getblockcount"))).code, 401);
    } finally {
      await custom.close();
    }
  });

  it("generatetoaddress runs the settlement step: an L2 transaction is anchored once its claim has the confirmations", async () => {
    const [alice, bob] = await l2<string[]>("eth_accounts");
    const hash = await l2<string>("eth_sendTransaction", { from: alice, to: bob, value: "0x1" });
    const receipt = await l2<{ blockNumber: string }>("eth_getTransactionReceipt", hash);
    interface Finality {
      level: string;
      blockNumber: string;
      batch: number | null;
      claim: { txid: string; height: number; confirmations: number } | null;
    }
    const soft = await l2<Finality>("bitlayer_getFinality", hash);
    assert.deepEqual([soft.level, soft.batch, soft.claim], ["soft", null, null]);
    const first = await btc<string[]>("generatetoaddress", CONFIRMATIONS - 1, minerPayment.address!);
    const claimed = await l2<Finality>("bitlayer_getFinality", hash);
    assert.equal(claimed.level, "soft", `${CONFIRMATIONS - 1} confirmations are not enough`);
    assert.ok(claimed.claim);
    assert.equal(claimed.batch, (await l2<{ rollup: { batches: number } }>("bitlayer_status")).rollup.batches - 1);
    assert.ok((await btc<{ tx: string[] }>("getblock", first[0])).tx.includes(claimed.claim.txid), "the claim is in the first block mined");
    assert.equal(claimed.claim.height, (await btc<{ height: number }>("getblockheader", first[0])).height);
    await btc("generatetoaddress", 2, minerPayment.address!);
    const anchored = await l2<Finality>("bitlayer_getFinality", hash);
    assert.equal(anchored.level, "anchored");
    assert.deepEqual(anchored.claim, { ...claimed.claim, confirmations: CONFIRMATIONS + 1 });
    assert.equal((await btc<{ confirmations: number }>("getrawtransaction", claimed.claim.txid, true)).confirmations, CONFIRMATIONS + 1);
    assert.equal(
      (await l2<{ number: string }>("eth_getBlockByNumber", "safe", false)).number,
      receipt.blockNumber,
      "the safe head is the block",
    );
  });

  it("a Bitcoin RPC request first produces the blocks that the L2 clock made due, on their 600 s schedule", async () => {
    const height = await btc<number>("getblockcount");
    const status = await l2<{ time: number; bitcoin: { nextBlockAt: number } }>("bitlayer_status");
    assert.equal(status.bitcoin.nextBlockAt, GENESIS_TIMESTAMP + 600, "no scheduled block has come yet: the clock stood still");
    await l2("evm_increaseTime", GENESIS_TIMESTAMP + 1200 - status.time);
    assert.equal(await btc<number>("getblockcount"), height + 2, "the blocks due at genesis + 600 s and + 1200 s");
    const times: number[] = [];
    for (const h of [height + 1, height + 2])
      times.push((await btc<{ time: number }>("getblockheader", await btc<string>("getblockhash", h))).time);
    assert.deepEqual(times, [GENESIS_TIMESTAMP + 600, GENESIS_TIMESTAMP + 1200]);
    assert.equal(await btc<number>("getblockcount"), height + 2, "and no more");
  });
});
