// An outsider's check of the settlement layer, over the two RPC servers alone (real HTTP on loopback):
// each batch's commitment is rebuilt from the L2 blocks and found in its claim on Bitcoin, the claims
// are walked back to the operator's coinbase, the Takes are checked against the challenge window, and
// every Bitcoin block is validated and replayed. Nothing is read from the devnet's own rollup code.

import assert from "node:assert/strict";
import { createMPT } from "@ethereumjs/mpt";
import Client from "bitcoin-core";
import { Block, Transaction } from "bitcoinjs-lib";
import { getBytes, keccak256 } from "ethers";
import {
  BITCOIN_LIGHT_CLIENT,
  type BitcoinRpcServer,
  createDevnet,
  type Devnet,
  type DevnetServer,
  PREMINE_BLOCKS,
  SYSTEM_ADDRESS,
  startBitcoinServer,
  startServer,
} from "../src/index.js";
import {
  assertKeyPathSpend,
  assertScriptPathSpend,
  type BitcoinBatch,
  type BitcoinRpc,
  bitcoinBatch,
  bitcoinRpc,
  CONFIRMATIONS,
  challengeConnectorPayment,
  connectorPayment,
  GENESIS_TIMESTAMP,
  headerHash,
  hex,
  kickoffPayment,
  type L2Block,
  type L2Rpc,
  l2Rpc,
  OPERATOR,
  parseClaimData,
  rebuildCommitment,
  rebuildTransactionsRoot,
  sats,
  serializedTransaction,
  transactionKey,
  txidOf,
  type VerboseTx,
  WINDOW_BLOCKS,
} from "./support/claims.js";

/** What bitlayer_getBatch answers, the fields read here. */
interface BatchView {
  index: number;
  status: string;
  firstBlock: string;
  lastBlock: string;
  commitment: string;
  claim: { txid: string; height: number | null };
  take: { txid: string; height: number | null; confirmations: number } | null;
  challenge: { txid: string } | null;
}

/** getblockheader's answer, the fields read here. */
interface Header {
  height: number;
  mediantime: number;
  chainwork: string;
  previousblockhash?: string;
}

const SEQUENCE_FINAL = 0xffffffff;
const SEQUENCE_DISABLE = 0x80000000;
const SEQUENCE_TYPE_TIME = 0x00400000;
const COINBASE_MATURITY = 100;
/** Regtest halves the subsidy every 150 blocks. */
const subsidy = (height: number) => (50n * 100_000_000n) >> BigInt(Math.floor(height / 150));

const quantity = (n: bigint) => `0x${n.toString(16)}`;

/** The start of a BIP34 coinbase scriptSig: `CScript() << height` (OP_1..OP_16, or a minimal script-number push). */
function bip34Prefix(height: number): Buffer {
  if (height >= 1 && height <= 16) return Buffer.of(0x50 + height);
  const bytes: number[] = [];
  for (let n = height; n > 0; n >>= 8) bytes.push(n & 0xff);
  if (bytes[bytes.length - 1] & 0x80) bytes.push(0);
  return Buffer.from([bytes.length, ...bytes]);
}

/** The OP_RETURN of a claim (its fourth and last output), if `tx` is one. */
function claimDataOf(tx: Transaction) {
  return tx.outs.length === 4 ? parseClaimData(tx.outs[3].script) : undefined;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

describe("settlement, verified from outside: the claim chain over the L2 and Bitcoin RPC servers", () => {
  let devnet: Devnet;
  let l2Server: DevnetServer;
  let bitcoinServer: BitcoinRpcServer;
  let l2: L2Rpc;
  let btc: BitcoinRpc;
  let btcBatch: BitcoinBatch;
  /** The L2 transactions sent, by the batch they should land in. */
  const sent: string[][] = [[], [], []];

  before(async () => {
    devnet = await createDevnet({ genesisTimestamp: GENESIS_TIMESTAMP });
    l2Server = await startServer(devnet, { host: "127.0.0.1", port: 0 });
    bitcoinServer = await startBitcoinServer(devnet, { port: 0 });
    l2 = l2Rpc(l2Server.url);
    const client = new Client({ host: bitcoinServer.url, username: "devnet", password: "devnet" });
    btc = bitcoinRpc(client);
    btcBatch = bitcoinBatch(client);
    const [alice, bob] = await l2<string[]>("eth_accounts");
    // batch 0: block 1 (a transfer), sealed by a Bitcoin block mined on demand
    sent[0].push(await l2<string>("eth_sendTransaction", { from: alice, to: bob, value: "0x1" }));
    await l2("bitlayer_mineBitcoin", 1);
    // batch 1: block 2 (a contract creation and a legacy transfer) and block 3, sealed by the Bitcoin
    // block the clock schedules 600 s after genesis (evm_mine's request runs it before mining block 4)
    await l2("evm_setAutomine", false);
    sent[1].push(await l2<string>("eth_sendTransaction", { from: bob, data: "0x602a60005500" }));
    sent[1].push(await l2<string>("eth_sendTransaction", { from: alice, to: bob, value: "0x2", gasPrice: "0x77359400" }));
    await l2("evm_mine");
    await l2("evm_setAutomine", true);
    sent[1].push(await l2<string>("eth_sendTransaction", { from: bob, to: alice, value: "0x3" }));
    await l2("evm_increaseTime", 600);
    await l2("evm_mine");
    // batch 2: block 4 (empty, from evm_mine) and block 5
    sent[2].push(await l2<string>("eth_sendTransaction", { from: alice, to: alice, value: "0x0" }));
    await l2("bitlayer_mineBitcoin", 1);
  });

  after(async () => {
    await bitcoinServer?.close();
    await l2Server?.close();
    await devnet?.close();
  });

  it("serves both RPCs on loopback only", async () => {
    assert.equal(new URL(l2Server.url).hostname, "127.0.0.1");
    assert.equal(new URL(bitcoinServer.url).hostname, "127.0.0.1");
    const status = await l2<{ rollup: { batches: number; windowBlocks: number; confirmations: number } }>("bitlayer_status");
    assert.deepEqual(
      { batches: status.rollup.batches, windowBlocks: status.rollup.windowBlocks, confirmations: status.rollup.confirmations },
      { batches: 3, windowBlocks: WINDOW_BLOCKS, confirmations: CONFIRMATIONS },
    );
  });

  it("each batch's claim carries the commitment rebuilt from the L2 blocks, and its kickoff is the documented Taproot tree", async () => {
    const ranges: [number, number][] = [];
    let next = 1n;
    for (let index = 0; index < 3; index++) {
      const batch = await l2<BatchView>("bitlayer_getBatch", index);
      const first = BigInt(batch.firstBlock);
      const last = BigInt(batch.lastBlock);
      assert.equal(first, next, `batch ${index} starts right after batch ${index - 1}`);
      next = last + 1n;
      ranges.push([Number(first), Number(last)]);

      // the L2 blocks: each hash is its header's, each links to its parent, each transactionsRoot is its transactions' trie
      const parent = await l2<L2Block>("eth_getBlockByNumber", quantity(first - 1n), true);
      const blocks: L2Block[] = [];
      let previous = parent;
      for (let n = first; n <= last; n++) {
        const block = await l2<L2Block>("eth_getBlockByNumber", quantity(n), true);
        assert.equal(headerHash(block), block.hash, `block ${n}'s hash is keccak256 of its header`);
        assert.equal(block.parentHash, previous.hash, `block ${n} links to block ${n - 1n}`);
        const trie = await createMPT();
        for (const [i, t] of block.transactions.entries()) await trie.put(transactionKey(i), getBytes(serializedTransaction(t)));
        assert.equal(`0x${hex(trie.root())}`, block.transactionsRoot, `block ${n}'s transactionsRoot is the trie of its transactions`);
        blocks.push(block);
        previous = block;
      }
      // (in a block, the miner orders transactions by tip: compare as sets; the system account's feed
      // the light client Bitcoin headers at the start of blocks once Bitcoin runs)
      const transactions = blocks.flatMap((b) => b.transactions);
      const system = transactions.filter((t) => t.from.toLowerCase() === SYSTEM_ADDRESS.toLowerCase());
      assert.ok(
        system.every((t) => t.to?.toLowerCase() === BITCOIN_LIGHT_CLIENT.address.toLowerCase()),
        "system transactions feed the light client",
      );

      assert.deepEqual(
        transactions
          .filter((t) => !system.includes(t))
          .map((t) => t.hash)
          .sort(),
        [...sent[index]].sort(),
        `batch ${index} holds the transactions sent for it`,
      );

      const commitment = rebuildCommitment({
        index,
        firstBlock: first,
        lastBlock: last,
        preStateRoot: parent.stateRoot,
        postStateRoot: blocks[blocks.length - 1].stateRoot,
        transactionsRoot: rebuildTransactionsRoot(blocks),
        withdrawalsRoot: `0x${"00".repeat(32)}`,
      });
      assert.equal(batch.commitment, `0x${hex(commitment)}`, "bitlayer_getBatch shows the same commitment");

      // the claim, read from Bitcoin
      const verbose = await btc<VerboseTx>("getrawtransaction", batch.claim.txid, true);
      assert.ok(verbose.blockhash, `batch ${index}'s claim is mined`);
      const claim = Transaction.fromHex(verbose.hex);
      assert.equal(claim.getId(), batch.claim.txid);
      assert.equal(claim.outs.length, 4, "connector, kickoff, challenge connector, OP_RETURN");
      assert.deepEqual(parseClaimData(claim.outs[3].script), { version: 1, mode: 0, chain: 0, batch: index, commitment });
      assert.equal(claim.outs[3].value, 0n);
      assert.equal(verbose.vout[3].scriptPubKey.type, "nulldata");
      assert.equal(verbose.vout[3].scriptPubKey.hex, hex(claim.outs[3].script));
      assert.equal(hex(claim.outs[0].script), hex(connectorPayment.output!), "output 0: P2TR(operator)");
      assert.equal(
        hex(claim.outs[1].script),
        hex(kickoffPayment(commitment, WINDOW_BLOCKS).output!),
        "output 1: P2TR(NUMS; ((take, assert), commitment))",
      );
      assert.equal(claim.outs[1].value, 10_000n);
      assert.equal(hex(claim.outs[2].script), hex(challengeConnectorPayment.output!), "output 2: P2TR(operator; <watcher> CHECKSIG)");
      assert.equal(claim.outs[2].value, 2_000n);
    }
    assert.deepEqual(ranges, [
      [1, 1],
      [2, 3],
      [4, 5],
    ]);
    assert.equal(await l2<string>("eth_blockNumber"), quantity(next - 1n), "every L2 block is in a batch");
  });

  it("the claims form one chain through output 0, from the newest back to the operator's premined coinbase at height 1", async () => {
    const newest = await l2<BatchView>("bitlayer_getBatch", 2);
    assert.ok(await btc("gettxout", newest.claim.txid, 0), "the newest claim's connector is unspent: the chain ends there");
    const batches: number[] = [];
    const heights: number[] = [];
    let txid = newest.claim.txid;
    let verbose = await btc<VerboseTx>("getrawtransaction", txid, true);
    let tx = Transaction.fromHex(verbose.hex);
    for (let data = claimDataOf(tx); data; data = claimDataOf(tx)) {
      batches.push(data.batch);
      heights.push((await btc<{ height: number }>("getblockheader", verbose.blockhash)).height);
      assert.equal(tx.ins.length, 1);
      assert.equal(verbose.vin[0].vout, 0, "a claim spends output 0 of what precedes it");
      const previous = await btc<VerboseTx>("getrawtransaction", verbose.vin[0].txid, true);
      const funding = Transaction.fromHex(previous.hex).outs[0];
      assert.equal(hex(funding.script), hex(connectorPayment.output!), "what a claim spends is the operator's connector");
      assertKeyPathSpend(tx, 0, { scripts: [funding.script], values: [funding.value] });
      assert.equal(
        tx.outs[0].value,
        funding.value - 10_000n - 2_000n - 1_000n,
        "the connector carries the rest, less the kickoff, the challenge connector and the fee",
      );
      txid = previous.txid;
      verbose = previous;
      tx = Transaction.fromHex(previous.hex);
    }
    assert.deepEqual(batches, [2, 1, 0], "one claim per batch, newest first");
    assert.ok(heights[0] > heights[1] && heights[1] > heights[2], `claims are mined in order (${heights})`);
    assert.ok(heights[2] > PREMINE_BLOCKS, "the first claim comes after the premined blocks");
    // the chain's start: block 1's coinbase, paid to the operator
    assert.ok(verbose.vin[0].coinbase, `the first claim spends a coinbase (${txid})`);
    assert.equal(verbose.blockhash, await btc<string>("getblockhash", 1));
    assert.equal(hex(tx.outs[0].script), hex(connectorPayment.output!));
    assert.equal(tx.outs[0].value, 50n * 100_000_000n);
    assert.equal(await btc("gettxout", txid, 0), null, "the premined coinbase is spent");
  });

  it("after a 7-day warp, each batch whose window closed was taken: claim outputs 1 and 2 spent, CSV = window, mined at claim height + window", async () => {
    const before = await btc<number>("getblockcount");
    const warp = await l2<{ bitcoinBlocks: number }>("bitlayer_warp", 7 * 24 * 3600);
    assert.equal(warp.bitcoinBlocks, WINDOW_BLOCKS, "7 days of 600 s blocks");
    const tip = await btc<number>("getblockcount");
    assert.equal(tip, before + WINDOW_BLOCKS);
    let taken = 0;
    for (let index = 0; index < 3; index++) {
      const batch = await l2<BatchView>("bitlayer_getBatch", index);
      const claimVerbose = await btc<VerboseTx>("getrawtransaction", batch.claim.txid, true);
      const claim = Transaction.fromHex(claimVerbose.hex);
      const claimHeight = (await btc<{ height: number }>("getblockheader", claimVerbose.blockhash)).height;
      const closes = claimHeight + WINDOW_BLOCKS;
      if (closes > tip) {
        assert.ok(await btc("gettxout", batch.claim.txid, 1), `batch ${index}'s window is open: its kickoff is unspent`);
        continue;
      }
      // the Take, found on Bitcoin alone: in the block at claim height + window, spending claim outputs 1 and 2
      const block = await btc<{ tx: VerboseTx[] }>("getblock", await btc<string>("getblockhash", closes), 2);
      const found = block.tx.find((t) => t.vin.some((i) => i.txid === batch.claim.txid && i.vout === 1));
      assert.ok(found, `batch ${index}'s Take is in block ${closes}`);
      const take = Transaction.fromHex(found.hex);
      assert.equal(take.version, 2, "BIP68 needs version 2");
      assert.deepEqual(
        take.ins.map((i) => [txidOf(i.hash), i.index]),
        [
          [batch.claim.txid, 1],
          [batch.claim.txid, 2],
        ],
      );
      assert.equal(take.ins[0].sequence, WINDOW_BLOCKS, "input 0's relative lock is the window, in blocks");
      const earlier = await btc<{ tx: string[] }>("getblock", await btc<string>("getblockhash", closes - 1));
      assert.ok(!earlier.tx.includes(take.getId()));
      const spent = { scripts: [claim.outs[1].script, claim.outs[2].script], values: [claim.outs[1].value, claim.outs[2].value] };
      const commitment = parseClaimData(claim.outs[3].script)!.commitment;
      assertScriptPathSpend(take, 0, spent, kickoffPayment(commitment, WINDOW_BLOCKS, 0), OPERATOR.xOnly);
      assertKeyPathSpend(take, 1, spent);
      assert.equal(take.outs.length, 1);
      assert.equal(hex(take.outs[0].script), hex(connectorPayment.output!), "the Take pays the operator back");
      assert.equal(take.outs[0].value, 10_000n + 2_000n - 1_000n);
      assert.equal(await btc("gettxout", batch.claim.txid, 1), null);
      assert.equal(await btc("gettxout", batch.claim.txid, 2), null);
      // the L2 RPC agrees: the batch is final, its transactions hard
      assert.equal(batch.status, "final");
      assert.deepEqual(batch.take, { txid: take.getId(), height: closes, confirmations: tip - closes + 1 });
      for (const hash of sent[index]) assert.equal((await l2<{ level: string }>("bitlayer_getFinality", hash)).level, "hard");
      taken++;
    }
    assert.equal(taken, 3, "all three windows closed within the warp");
  });

  it("every Bitcoin block from genesis to the tip is valid, linked and BIP34-numbered, and replays to the node's UTXO set", async () => {
    const tip = await btc<number>("getblockcount");
    const utxos = new Map<string, { value: bigint; height: number; coinbase: boolean }>();
    const times: number[] = [];
    const mtp = (height: number) => median(times.slice(Math.max(0, height - 10), height + 1));
    let previous: Block | undefined;
    // read in JSON-RPC batches of 100 heights: getblockhash, then each block's raw bytes and header
    const fetched = new Map<number, { hash: string; raw: string; header: Header }>();
    for (let start = 0; start <= tip; start += 100) {
      const heights = Array.from({ length: Math.min(100, tip - start + 1) }, (_, i) => start + i);
      const hashes = await btcBatch<string>(heights.map((h) => ["getblockhash", h]));
      const read = await btcBatch<string | Header>(
        hashes.flatMap((hash) => [["getblock", hash, 0] as const, ["getblockheader", hash] as const]),
      );
      heights.forEach((h, i) => {
        fetched.set(h, { hash: hashes[i], raw: read[2 * i] as string, header: read[2 * i + 1] as Header });
      });
    }
    for (let h = 0; h <= tip; h++) {
      const { hash, raw, header } = fetched.get(h)!;
      const block = Block.fromHex(raw);
      assert.equal(block.getId(), hash, `block ${h}'s header hashes to getblockhash(${h})`);
      assert.ok(block.checkProofOfWork(), `block ${h} meets its target`);
      assert.ok(block.checkTxRoots(), `block ${h}'s merkle root and witness commitment`);
      assert.equal(block.bits, 0x207fffff, "regtest difficulty");
      assert.equal(hex(block.prevHash!), previous ? hex(previous.getHash()) : "00".repeat(32), `block ${h} links to block ${h - 1}`);
      const txs = block.transactions!;
      assert.ok(txs[0].isCoinbase() && txs.slice(1).every((t) => !t.isCoinbase()), `block ${h}: one coinbase, first`);
      if (h > 0) {
        assert.ok(block.timestamp > mtp(h - 1), `block ${h}'s time passes the median of the 11 before it (BIP113)`);
        const prefix = bip34Prefix(h);
        assert.equal(
          hex(txs[0].ins[0].script.subarray(0, prefix.length)),
          hex(prefix),
          `block ${h}'s coinbase starts with its height (BIP34)`,
        );
      }
      const txFees: bigint[] = [];
      for (const tx of txs.slice(1)) {
        let input = 0n;
        const sequenceFinal = tx.ins.every((i) => i.sequence === SEQUENCE_FINAL);
        if (tx.locktime !== 0 && !sequenceFinal) {
          assert.ok(tx.locktime < (tx.locktime < 500_000_000 ? h : mtp(h - 1)), `${tx.getId()}'s nLockTime has passed`);
        }
        for (const txin of tx.ins) {
          const key = `${txidOf(txin.hash)}:${txin.index}`;
          const coin = utxos.get(key);
          assert.ok(coin, `${tx.getId()} at height ${h} spends an unspent output (${key})`);
          if (coin.coinbase) assert.ok(h - coin.height >= COINBASE_MATURITY, `${tx.getId()} spends a mature coinbase`);
          if (tx.version >= 2 && !(txin.sequence & SEQUENCE_DISABLE)) {
            const lock = txin.sequence & 0xffff;
            if (txin.sequence & SEQUENCE_TYPE_TIME) {
              assert.ok(mtp(h - 1) - mtp(Math.max(coin.height - 1, 0)) >= lock * 512, `${tx.getId()}'s time lock has passed`);
            } else {
              assert.ok(h - coin.height >= lock, `${tx.getId()}'s relative lock of ${lock} blocks has passed (BIP68)`);
            }
          }
          utxos.delete(key);
          input += coin.value;
        }
        const output = tx.outs.reduce((sum, o) => sum + o.value, 0n);
        assert.ok(input >= output, `${tx.getId()} creates no money`);
        txFees.push(input - output);
        tx.outs.forEach((o, vout) => {
          if (o.script[0] !== 0x6a) utxos.set(`${tx.getId()}:${vout}`, { value: o.value, height: h, coinbase: false });
        });
      }
      const paid = txs[0].outs.reduce((sum, o) => sum + o.value, 0n);
      const fees = txFees.reduce((sum, f) => sum + f, 0n);
      assert.equal(paid, subsidy(h) + fees, `block ${h}'s coinbase claims the subsidy and the fees`);
      if (txFees.length > 0) {
        const verbose = await btc<{ tx: { fee?: number }[] }>("getblock", hash, 2);
        assert.deepEqual(
          verbose.tx.slice(1).map((t) => sats(t.fee!)),
          txFees,
          `block ${h}: getblock 2 shows the fees the replay computes`,
        );
      }
      if (h > 0) {
        txs[0].outs.forEach((o, vout) => {
          if (o.script[0] !== 0x6a) utxos.set(`${txs[0].getId()}:${vout}`, { value: o.value, height: h, coinbase: true });
        });
      }
      times.push(block.timestamp);
      assert.deepEqual(
        [header.height, header.mediantime, header.chainwork, header.previousblockhash],
        [h, mtp(h), ((h + 1) * 2).toString(16).padStart(64, "0"), previous?.getId()],
        `block ${h}'s header: height, median time past, chainwork (2 per regtest block), parent`,
      );
      previous = block;
    }
    assert.equal(await btc<string>("getbestblockhash"), previous!.getId());
    // the replayed UTXO set against the node's: a sample of what is unspent, and what is spent
    const entries = [...utxos.entries()];
    const sample = entries.filter((_, i) => i % Math.ceil(entries.length / 25) === 0);
    for (const [key, coin] of sample) {
      const [txid, vout] = key.split(":");
      const out = await btc<{ value: number; confirmations: number; coinbase: boolean } | null>("gettxout", txid, Number(vout));
      assert.ok(out, `${key} is unspent on the node too`);
      assert.equal(sats(out.value), coin.value);
      assert.equal(out.confirmations, tip - coin.height + 1);
      assert.equal(out.coinbase, coin.coinbase);
    }
    const claims = await l2<BatchView[]>("bitlayer_listBatches");
    for (const b of claims) {
      for (const vout of [0, 1, 2]) {
        assert.equal(utxos.has(`${b.claim.txid}:${vout}`), (await btc("gettxout", b.claim.txid, vout)) !== null, `${b.claim.txid}:${vout}`);
      }
    }
  });
});

describe("settlement, verified from outside: state changed by a test control between two batches", () => {
  let devnet: Devnet;
  let l2Server: DevnetServer;
  let bitcoinServer: BitcoinRpcServer;

  before(async () => {
    devnet = await createDevnet({ genesisTimestamp: GENESIS_TIMESTAMP });
    l2Server = await startServer(devnet, { host: "127.0.0.1", port: 0 });
    bitcoinServer = await startBitcoinServer(devnet, { port: 0 });
  });

  after(async () => {
    await bitcoinServer?.close();
    await l2Server?.close();
    await devnet?.close();
  });

  it("commits to the state the batch ran on: the root eth_getProof proves at the parent block, not the parent header's stateRoot", async () => {
    const l2 = l2Rpc(l2Server.url);
    const btc = bitcoinRpc(new Client({ host: bitcoinServer.url, username: "devnet", password: "devnet" }));
    const [alice, bob] = await l2<string[]>("eth_accounts");
    await l2("eth_sendTransaction", { from: alice, to: bob, value: "0x1" });
    await l2("bitlayer_mineBitcoin", 1);
    await l2("hardhat_setBalance", bob, "0x1234"); // after batch 0's block 1, before batch 1's block 2
    await l2("eth_sendTransaction", { from: alice, to: bob, value: "0x1" });
    await l2("bitlayer_mineBitcoin", 1);
    const batch = await l2<BatchView>("bitlayer_getBatch", 1);
    assert.deepEqual([batch.firstBlock, batch.lastBlock], ["0x2", "0x2"]);
    const parent = await l2<L2Block>("eth_getBlockByNumber", "0x1", false);
    const block = await l2<L2Block>("eth_getBlockByNumber", "0x2", false);
    // the proof's first node is the state trie's root: the state block 2 was mined on
    const proof = await l2<{ accountProof: string[] }>("eth_getProof", bob, [], "0x1");
    const ranOn = keccak256(proof.accountProof[0]);
    assert.notEqual(ranOn, parent.stateRoot, "the test control changed the state after block 1 was sealed");
    const fields = {
      index: 1,
      firstBlock: 2n,
      lastBlock: 2n,
      postStateRoot: block.stateRoot,
      transactionsRoot: rebuildTransactionsRoot([block]),
      withdrawalsRoot: `0x${"00".repeat(32)}`,
    };
    const claim = Transaction.fromHex(await btc<string>("getrawtransaction", batch.claim.txid));
    const committed = claimDataOf(claim)?.commitment;
    assert.ok(committed);
    assert.equal(hex(committed), hex(rebuildCommitment({ ...fields, preStateRoot: ranOn })));
    assert.notEqual(hex(committed), hex(rebuildCommitment({ ...fields, preStateRoot: parent.stateRoot })));
    // the watcher's re-execution agrees: the honest claim goes unchallenged
    await l2("bitlayer_mineBitcoin", CONFIRMATIONS);
    const anchored = await l2<BatchView>("bitlayer_getBatch", 1);
    assert.deepEqual([anchored.status, anchored.challenge], ["anchored", null]);
  });
});
