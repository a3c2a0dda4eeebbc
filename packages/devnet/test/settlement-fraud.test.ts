// Fraud and the dispute game: a claim with a wrong post-state root is challenged by the watcher,
// asserted by the operator and disproved, each a Bitcoin transaction spending the right output;
// the L2 halts (every send and block refused with L2_HALTED), the batch's transactions are
// invalidated, and bitlayer_recover rolls back and resumes. Without a watcher, the fraud becomes
// hard final; a watcher switched on while the window is open challenges it.

import assert from "node:assert/strict";
import { Transaction, Wallet } from "ethers";
import { type BatchView, BLOCK_TIME, type Chains, chainsFixture, type RecoverView, refused } from "./support/settlement.js";

/** One scheduled Bitcoin block (the clock is on the cadence after a warp-until). */
async function oneBlock(c: Chains): Promise<void> {
  const w = await c.warp(BLOCK_TIME);
  assert.equal(w.bitcoinBlocks, 1);
}

/** A batch 0 anchored from one honest transfer; the clock is then on the Bitcoin cadence. */
async function honestBatch(c: Chains): Promise<string> {
  const tx = await c.transfer(1n);
  await c.warp({ until: "anchored", tx });
  return tx;
}

/** Input `n` of a Bitcoin transaction, as [txid, vout]. */
async function spends(c: Chains, txid: string, n = 0): Promise<[string, number]> {
  const vin = (await c.getRawTransaction(txid)).vin[n];
  return [vin.txid, vin.vout];
}

describe("settlement: fraud, disputes, halt and recovery", function () {
  this.timeout(60_000);
  const { start } = chainsFixture("devnet-settle-fraud-");

  it("challenges, asserts and disproves a fraudulent claim on Bitcoin, halts the L2, then recovers and finalizes again", async () => {
    const c = await start();
    const honestTx = await honestBatch(c);
    assert.deepEqual(await c.rpc("bitlayer_injectFraud"), { batch: 1 });
    assert.equal((await c.status()).rollup.fraudInjected, true);
    const fraudTx = await c.transfer(2n);
    // Pooled when the L2 halts: recover drops it.
    await c.rpc("evm_setAutomine", [false]);
    const pooledTx = await c.transfer(3n);
    const h0 = await c.bitcoinHeight();

    await oneBlock(c);
    let b = await c.batch(1);
    assert.equal(b.status, "claimed");
    assert.equal(b.fraudulent, true);
    assert.equal(b.claim.height, h0 + 1);
    assert.equal((await c.status()).rollup.fraudInjected, false, "the injection is used up by the claim");

    await oneBlock(c);
    b = await c.batch(1);
    assert.equal(b.status, "challenged");
    assert.equal(b.challenge?.height, h0 + 2);
    assert.equal(b.assert, null);

    await oneBlock(c);
    b = await c.batch(1);
    assert.equal(b.status, "asserted");
    assert.equal(b.assert?.height, h0 + 3);
    assert.equal(b.disprove, null);
    assert.equal((await c.status()).halted, null, "not halted before the disproof");

    await oneBlock(c);
    b = await c.batch(1);
    assert.equal(b.disprove?.height, h0 + 4);
    assert.equal(b.status, "disproved", "the disproved batch says so (later ones say invalidated)");
    assert.match(b.invalidated ?? "", new RegExp(`batch 1 was disproved by Bitcoin transaction ${b.disprove?.txid}`));

    // The dispute on Bitcoin: the challenge spends the claim's challenge connector (output 2), the
    // assert its kickoff (output 1), the disprove the assert's output 0; each is in the block recorded.
    const claimTxid = b.claim.txid;
    assert.deepEqual(await spends(c, b.challenge?.txid as string), [claimTxid, 2]);
    assert.deepEqual(await spends(c, b.assert?.txid as string), [claimTxid, 1]);
    assert.deepEqual(await spends(c, b.disprove?.txid as string), [b.assert?.txid, 0]);
    for (const ref of [b.claim, b.challenge, b.assert, b.disprove]) {
      const tx = await c.getRawTransaction(ref?.txid as string);
      assert.equal(tx.blockhash, await c.bitcoin("getblockhash", [ref?.height]));
    }

    const haltHeight = h0 + 4;
    const haltHash = await c.bitcoin<string>("getblockhash", [haltHeight]);
    const status = await c.status();
    assert.equal(status.halted?.batch, 1);
    assert.equal(status.halted?.bitcoinHeight, haltHeight);
    assert.equal(status.halted?.bitcoinBlock, haltHash);
    assert.match(status.halted?.reason ?? "", /batch 1 was disproved/);

    // Everything that would make or fill an L2 block is refused, naming the batch and the Bitcoin block.
    const message = new RegExp(`batch 1 was disproved.*Bitcoin block ${haltHeight} \\(${haltHash}\\)`);
    const wallet = new Wallet(c.devnet.accounts[2].privateKey);
    const raw = await wallet.signTransaction(
      Transaction.from({
        chainId: c.devnet.chainId,
        type: 2,
        nonce: 0,
        gasLimit: 21_000n,
        maxFeePerGas: 10n ** 10n,
        maxPriorityFeePerGas: 10n ** 9n,
        to: c.address(3),
        value: 1n,
      }),
    );
    const latestBefore = await c.block("latest");
    for (const [method, params] of [
      ["eth_sendTransaction", [{ from: c.address(0), to: c.address(1), value: "0x4" }]],
      ["eth_sendRawTransaction", [raw]],
      ["evm_mine", []],
    ] as const) {
      const error = await refused(c.rpc(method, [...params]), "L2_HALTED", -32000, message);
      assert.deepEqual(error.data, { batch: 1, bitcoinHeight: haltHeight, bitcoinBlock: haltHash }, method);
    }
    assert.deepEqual(await c.block("latest"), latestBefore);

    const invalidated = await c.finality(fraudTx);
    assert.equal(invalidated.level, "invalidated");
    assert.equal(invalidated.batch, 1);
    assert.match(invalidated.invalidated ?? "", /batch 1 was disproved/);
    assert.equal((await c.finality(honestTx)).level, "anchored", "the batch before is untouched");
    assert.equal(await c.blockNumber("safe"), 1);
    await refused(c.warp({ until: "hard", tx: fraudTx }), "L2_HALTED", -32000, /invalidated/);

    const recovered = await c.rpc<RecoverView>("bitlayer_recover");
    assert.deepEqual(recovered, { rolledBackTo: "0x1", droppedBlocks: "0x1", droppedTransactions: 1, claimChain: 1 });
    const after = await c.status();
    assert.equal(after.halted, null);
    assert.equal(after.l2.latest, "0x1");
    assert.equal(after.rollup.claimChain, 1);
    assert.equal(await c.rpc("eth_getTransactionByHash", [fraudTx]), null, "the invalidated block is gone");
    assert.equal(await c.rpc("eth_getTransactionByHash", [pooledTx]), null, "the pool is emptied");

    // Running again: a new transaction is mined, claimed in the new claim chain and reaches hard finality.
    await c.rpc("evm_setAutomine", [true]);
    const newTx = await c.transfer(5n);
    const hard = await c.warp({ until: "hard", tx: newTx });
    assert.equal(hard.finality?.level, "hard");
    assert.equal(hard.finality?.batch, 2);
    const b2: BatchView = await c.batch(2);
    assert.equal(b2.claimChain, 1);
    assert.equal(b2.status, "final");
    assert.equal(b2.firstBlock, "0x2", "the new batch starts where the valid chain ended");
    assert.deepEqual(await spends(c, b2.claim.txid), [claimTxid, 0], "the new chain's first claim spends the abandoned chain's connector");
    assert.equal(await c.blockNumber("finalized"), 2);
    assert.equal((await c.batch(1)).status, "disproved", "the disproved batch stays on record");
    await refused(c.rpc("bitlayer_recover"), "NOT_HALTED", -32000, /not halted/);
  });

  it("with the watcher off (option), the fraudulent batch becomes hard final and the L2 keeps running", async () => {
    const c = await start({ rollup: { watcher: false } });
    assert.equal((await c.status()).rollup.watcher, false);
    await c.rpc("bitlayer_injectFraud", [`0x${"ab".repeat(32)}`]);
    const tx = await c.transfer(9n);
    const hard = await c.warp({ until: "hard", tx });
    assert.equal(hard.finality?.level, "hard");
    const b = await c.batch(0);
    assert.equal(b.fraudulent, true);
    assert.equal(b.postStateRoot, `0x${"ab".repeat(32)}`);
    assert.equal(b.status, "final");
    assert.equal(b.challenge, null);
    assert.equal((await c.status()).halted, null);
    const next = await c.transfer(10n);
    assert.equal((await c.finality(next)).level, "soft");
  });

  it("with the watcher switched off (bitlayer_setWatcher), the fraud goes through too", async () => {
    const c = await start();
    assert.equal(await c.rpc("bitlayer_setWatcher", [false]), true);
    assert.equal((await c.status()).rollup.watcher, false);
    await c.rpc("bitlayer_injectFraud");
    const tx = await c.transfer(9n);
    assert.equal((await c.warp({ until: "hard", tx })).finality?.level, "hard");
    assert.equal((await c.batch(0)).status, "final");
    assert.equal((await c.status()).halted, null);
    await c.rpc("evm_mine");
  });

  it("a watcher switched back on while a fraudulent claim's window is open challenges it", async () => {
    const c = await start({ rollup: { watcher: false } });
    await c.rpc("bitlayer_injectFraud");
    await c.transfer(9n);
    await c.warp({ until: "anchored", block: 1 });
    await c.warp(10 * BLOCK_TIME);
    let b = await c.batch(0);
    assert.equal(b.status, "anchored");
    assert.equal(b.challenge, null);
    await c.rpc("bitlayer_setWatcher", [true]);
    const height = await c.bitcoinHeight();
    assert.ok(height < (b.windowClosesAt as number));
    await c.rpc("bitlayer_mineBitcoin", [1]);
    b = await c.batch(0);
    assert.equal(b.status, "challenged");
    assert.equal(b.challenge?.height, height + 1);
    await c.rpc("bitlayer_mineBitcoin", [2]);
    assert.equal((await c.status()).halted?.batch, 0);
  });

  it("an honest batch is never challenged while the watcher runs", async () => {
    const c = await start();
    const tx = await c.transfer(1n);
    await c.warp({ until: "hard", tx });
    const b = await c.batch(0);
    assert.equal(b.fraudulent, false);
    assert.equal(b.challenge, null);
    assert.equal(b.status, "final");
  });

  // BUG: the operator's Take-2 is not implemented. rollup.assertBlocks is documented as "blocks after
  // an Assert before the operator may take it back unanswered (Take-2)", and the Assert's output has
  // that timelocked operator leaf (protocol.ts assertOutput), but SettlementEngine.act() never posts
  // it: an Assert nobody disproves stays "asserted" forever, never final, and warp-until-hard gives up.
  it("an Assert left unanswered for assertBlocks lets the operator take it back: the batch does not stay asserted forever", async () => {
    const c = await start();
    await c.rpc("bitlayer_injectFraud");
    const tx = await c.transfer(9n);
    await oneBlock(c);
    await oneBlock(c);
    await oneBlock(c);
    assert.equal((await c.batch(0)).status, "asserted");
    // The watcher goes away before it disproves.
    await c.rpc("bitlayer_setWatcher", [false]);
    const { assertBlocks } = (await c.status()).rollup;
    await c.rpc("bitlayer_mineBitcoin", [assertBlocks + 2]);
    const b = await c.batch(0);
    assert.equal((await c.status()).halted, null);
    assert.notEqual(b.status, "asserted", `still asserted ${assertBlocks + 2} blocks after the Assert: no Take-2 was posted`);
    assert.equal(b.status, "final");
    assert.equal((await c.finality(tx)).level, "hard");
  });
});
