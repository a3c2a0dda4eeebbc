// The settlement layer in snapshots, resets, dumps and state files: evm_revert brings back both
// chains exactly (Bitcoin tip and mempool, the wallet, batches, windows, the halt), across a warp
// and across a halt; hardhat_reset is a fresh devnet; hardhat_dumpState / hardhat_loadState and
// saveState + stateFile carry everything, and the loaded devnet goes on exactly as the original;
// a tampered settlement section is refused and changes nothing; the same requests on the same
// genesis give the same Bitcoin blocks, claims and L2 blocks.
//
// Comparisons use a twin: a second devnet given the same requests without the excursion that was
// reverted (or without the round trip) must look the same in every way, and stay so.

import assert from "node:assert/strict";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { Interface, toBeHex, Wallet } from "ethers";
import { BITCOIN_BRIDGE, PREMINE_BLOCKS, WEI_PER_SAT } from "../src/index.js";
import { BLOCK_TIME, type Chains, chainsFixture, GENESIS, refused, WEEK } from "./support/settlement.js";

interface SavedRef {
  txid: string;
  height?: number;
}

/** The parts of a dump's settlement section the tampering tests touch. */
interface SavedSettlement {
  cadence: number;
  engine: {
    bitcoin: { blocks: string[] };
    data: {
      batches: { claim: SavedRef; take?: SavedRef }[];
      lastSealed?: string;
      connector: { txid: string; vout: number; value: string };
      halt?: { batch: number; bitcoinHeight: number; bitcoinBlock: string; reason: string };
    };
  };
}

type Dump = { settlement: SavedSettlement } & Record<string, unknown>;

const decodeDump = (hex: string): Dump => JSON.parse(gunzipSync(Buffer.from(hex.slice(2), "hex")).toString("utf8")) as Dump;
const encodeDump = (dump: Dump): string => `0x${gzipSync(JSON.stringify(dump)).toString("hex")}`;

/**
 * Batches in every state (final, anchored, claimed), a Bitcoin wallet transaction in the mempool and
 * an address handed out; every L2 block sealed into a batch.
 */
async function scenario(c: Chains): Promise<void> {
  const tx1 = await c.transfer(1n);
  await c.warp({ until: "hard", tx: tx1 });
  const tx2 = await c.transfer(2n);
  await c.warp({ until: "anchored", tx: tx2 });
  await c.transfer(3n);
  await c.warp(BLOCK_TIME);
  const address = await c.bitcoin<string>("getnewaddress");
  await c.bitcoin("sendtoaddress", [address, 1.5]);
  const statuses = (await c.batches()).map((b) => b.status);
  assert.deepEqual(statuses, ["final", "anchored", "claimed"]);
  assert.equal((await c.bitcoin<string[]>("getrawmempool")).length, 1);
}

/** `from` burns `sats` through the bridge's withdraw, paying `to` on Bitcoin; returns the L2 transaction's hash. */
async function withdraw(c: Chains, from: string, to: string, sats: bigint): Promise<string> {
  const data = new Interface(BITCOIN_BRIDGE.abi).encodeFunctionData("withdraw", [to]);
  return c.rpc<string>("eth_sendTransaction", [{ from, to: BITCOIN_BRIDGE.address, value: toBeHex(sats * WEI_PER_SAT), data }]);
}

/** Drives the fraud of the next batch up to the halt. */
async function haltOn(c: Chains): Promise<void> {
  await c.rpc("bitlayer_injectFraud");
  await c.transfer(7n);
  for (let i = 0; i < 6 && !(await c.status()).halted; i++) await c.warp(BLOCK_TIME);
  assert.notEqual((await c.status()).halted, null);
}

/** The same requests on both, then everything compared: the views, the wallet's next address, every Bitcoin block. */
async function assertSameFromNowOn(a: Chains, b: Chains): Promise<void> {
  assert.deepEqual(await a.view(), await b.view());
  assert.equal(await a.bitcoin("getnewaddress"), await b.bitcoin("getnewaddress"), "the wallet's next address");
  for (const c of [a, b]) {
    const tx = await c.transfer(42n);
    await c.warp({ until: "hard", tx });
    await c.bitcoin("sendtoaddress", [await c.bitcoin("getnewaddress"), 0.25]);
    await c.warp(3 * BLOCK_TIME);
  }
  assert.deepEqual(await a.view(), await b.view());
  assert.deepEqual(await a.bitcoinBlockHashes(PREMINE_BLOCKS), await b.bitcoinBlockHashes(PREMINE_BLOCKS));
  assert.deepEqual(await a.l2BlockHashes(), await b.l2BlockHashes());
}

describe("settlement: snapshots, reset, dumps and state files", function () {
  this.timeout(60_000);
  const { start, fixture } = chainsFixture("devnet-settle-state-");

  describe("evm_snapshot / evm_revert", () => {
    it("bring back both chains exactly across a 7-day warp (tip, mempool, wallet, batches, windows)", async () => {
      const [a, b] = [await start(), await start()];
      await scenario(a);
      await scenario(b);
      const id = await a.rpc<string>("evm_snapshot");
      const before = await a.view();
      // The excursion: a week of Bitcoin, claims, windows closing, the wallet and the mempool used.
      await a.transfer(5n);
      await a.bitcoin("sendtoaddress", [await a.bitcoin("getnewaddress"), 2]);
      await a.warp(WEEK);
      await a.rpc("bitlayer_setWatcher", [false]);
      await a.rpc("bitlayer_injectFraud");
      assert.deepEqual(
        (await a.batches()).map((x) => x.status),
        ["final", "final", "final", "anchored"],
      );
      assert.equal(await a.rpc("evm_revert", [id]), true);
      assert.deepEqual(await a.view(), before);
      assert.equal((await a.status()).rollup.watcher, true);
      assert.equal((await a.status()).rollup.fraudInjected, false);
      await assertSameFromNowOn(a, b);
    });

    it("bring back a running L2 across a halt", async () => {
      const [a, b] = [await start(), await start()];
      await scenario(a);
      await scenario(b);
      const id = await a.rpc<string>("evm_snapshot");
      await haltOn(a);
      await refused(a.rpc("evm_mine"), "L2_HALTED", -32000);
      assert.equal(await a.rpc("evm_revert", [id]), true);
      assert.equal((await a.status()).halted, null);
      await assertSameFromNowOn(a, b);
    });

    /**
     * Two devnets halted the same way; one takes a snapshot, makes `excursion` and reverts: it must be
     * back as it was, still halted, and after a recovery on both go on as the other.
     */
    async function revertsToHalt(excursion: (a: Chains) => Promise<void>): Promise<void> {
      const [a, b] = [await start(), await start()];
      for (const c of [a, b]) {
        await scenario(c);
        await haltOn(c);
      }
      const id = await a.rpc<string>("evm_snapshot");
      const before = await a.view();
      await excursion(a);
      assert.equal(await a.rpc("evm_revert", [id]), true, "evm_revert to the snapshot taken while halted");
      assert.deepEqual(await a.view(), before);
      await refused(a.rpc("evm_mine"), "L2_HALTED", -32000);
      for (const c of [a, b]) await c.rpc("bitlayer_recover");
      await assertSameFromNowOn(a, b);
    }

    it("bring back the halt when reverting to a snapshot taken while halted", async () => {
      await revertsToHalt(async (a) => {
        await a.warp(WEEK);
        await a.rpc("bitlayer_mineBitcoin", [3]);
      });
    });

    // BUG: bitlayer_recover truncates the L2 store (devnet/recover.ts) and a snapshot taken while
    // halted then no longer passes canRestoreL2Snapshot (l2/snapshot.ts: the block at its height is
    // gone or replaced), so evm_revert answers false and the halted state can never be got back,
    // though docs/devnet.md says evm_snapshot / evm_revert "save and restore everything" and answer
    // false only for an unknown id (or after a state load).
    it("bring back the halt across a bitlayer_recover", async () => {
      await revertsToHalt(async (a) => {
        await a.rpc("bitlayer_recover");
        await a.transfer(8n);
      });
    });

    it("a snapshot taken before Bitcoin was loaded brings back the fresh chain", async () => {
      const [a, b] = [await start(), await start()];
      const id = await a.rpc<string>("evm_snapshot");
      await scenario(a);
      assert.equal(await a.rpc("evm_revert", [id]), true);
      await assertSameFromNowOn(a, b);
    });
  });

  it("hardhat_reset goes back to a fresh devnet: Bitcoin at the premine, no batches, the same answers", async () => {
    const [a, b] = [await start(), await start()];
    await scenario(a);
    await haltOn(a);
    await a.rpc("hardhat_reset");
    const s = await a.status();
    assert.equal(s.bitcoin.height, PREMINE_BLOCKS);
    assert.equal(s.rollup.batches, 0);
    assert.equal(s.halted, null);
    assert.equal(s.time, GENESIS);
    assert.deepEqual(await a.batches(), []);
    assert.equal(await a.bitcoinHeight(), PREMINE_BLOCKS);
    assert.deepEqual(await a.bitcoin("getrawmempool"), []);
    await assertSameFromNowOn(a, b);
  });

  describe("dumps and state files", () => {
    it("hardhat_dumpState / hardhat_loadState bring back both chains and every window; the loaded devnet goes on the same", async () => {
      const a = await start();
      await scenario(a);
      const dump = await a.rpc<string>("hardhat_dumpState");
      const b = await start();
      await b.transfer(1n);
      await b.warp(BLOCK_TIME);
      assert.equal(await b.rpc("hardhat_loadState", [dump]), true);
      assert.deepEqual(
        (await b.batches()).map((x) => [x.status, x.claim, x.windowClosesAt, x.anchoredAt]),
        (await a.batches()).map((x) => [x.status, x.claim, x.windowClosesAt, x.anchoredAt]),
      );
      await assertSameFromNowOn(a, b);
    });

    /** Saves `a` with saveState and starts a devnet from that state file. */
    async function reloaded(a: Chains, name: string): Promise<Chains> {
      const path = join(fixture.dir, `${name}.json`);
      await a.devnet.saveState(path);
      return start({ stateFile: path });
    }

    /** A devnet after the scenario, halted by the next batch's fraud. */
    async function halted(): Promise<Chains> {
      const a = await start();
      await scenario(a);
      await haltOn(a);
      return a;
    }

    it("saveState + createDevnet({ stateFile }) bring back both chains and every window", async () => {
      const a = await start();
      await scenario(a);
      await assertSameFromNowOn(a, await reloaded(a, "scenario"));
    });

    it("a state file carries the bridge (deposits, withdrawals at every stage, forced transactions, censorship); the loaded devnet pays the same", async () => {
      const a = await start();
      const [alice, bob] = await a.rpc<string[]>("eth_accounts");
      await a.rpc("bitlayer_deposit", [bob, 25_000_000]);
      const payTo = await a.bitcoin<string>("getnewaddress");
      const early = await withdraw(a, alice, payTo, 3_000_000n);
      await a.warp({ until: "anchored", tx: early });
      await a.rpc("bitlayer_setCensorship", [true]);
      // Hardhat's account #2, which has sent nothing: a forced withdrawal the censoring sequencer leaves out.
      const carol = new Wallet("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");
      const raw = await carol.signTransaction({
        to: BITCOIN_BRIDGE.address,
        value: 5_000_000n * WEI_PER_SAT,
        data: new Interface(BITCOIN_BRIDGE.abi).encodeFunctionData("withdraw", [payTo]),
        nonce: 0,
        gasLimit: 200_000n,
        maxFeePerGas: 10_000_000_000n,
        maxPriorityFeePerGas: 0n,
        chainId: 202601n,
      });
      const forced = await a.rpc<{ txid: string; status: string }>("bitlayer_forceWithdrawal", [raw]);
      assert.equal(forced.status, "censored");
      const late = await withdraw(a, bob, payTo, 4_000_000n);
      // Sealed before saving: blocks sealed after a load are checked against their headers (see below).
      await a.warp(BLOCK_TIME);
      const statuses = async (c: Chains) =>
        Promise.all([early, late].map(async (tx) => (await c.rpc<{ status: string }>("bitlayer_getWithdrawal", [tx])).status));
      assert.deepEqual(await statuses(a), ["anchored", "initiated"]);
      const b = await reloaded(a, "bridge");
      assert.deepEqual(await b.view(), await a.view());
      assert.equal((await b.rpc<{ censoring: boolean }>("bitlayer_bridgeInfo")).censoring, true);
      assert.deepEqual(
        await b.rpc("bitlayer_getForcedTransaction", [forced.txid]),
        await a.rpc("bitlayer_getForcedTransaction", [forced.txid]),
      );
      // The sequencer stops censoring before the window passes (an escape would need the state of the last
      // hard-final block, which a state file does not keep: see docs/bridge.md): the forced withdrawal goes in.
      for (const c of [a, b]) {
        await c.rpc("bitlayer_setCensorship", [false]);
        await c.rpc("bitlayer_mineBitcoin", [1]);
        assert.equal((await c.rpc<{ status: string }>("bitlayer_getForcedTransaction", [forced.txid])).status, "included");
        await c.warp({ until: "hard", tx: late });
        await c.rpc("bitlayer_mineBitcoin", [1]);
        assert.deepEqual(await statuses(c), ["paid", "paid"]);
      }
      await assertSameFromNowOn(a, b);
    });

    it("a halted devnet is loaded halted", async () => {
      const a = await halted();
      const b = await reloaded(a, "halted");
      assert.deepEqual((await b.status()).halted, (await a.status()).halted);
      await refused(b.rpc("evm_mine"), "L2_HALTED", -32000, /batch 3 was disproved/);
      assert.deepEqual(await b.view(), await a.view());
    });

    // BUG: bitlayer_recover sets the L2 state back to the root of the last valid block
    // (devnet/recover.ts: chain.state.setStateRoot(target.block.header.stateRoot)), but a loaded state
    // holds only the state at its head: on a devnet loaded halted, bitlayer_recover fails with
    // INTERNAL_ERROR "State trie does not contain state root" and the L2 can never run again
    // (short of hardhat_reset).
    it("a devnet loaded halted refuses bitlayer_recover clearly (the file keeps the latest state only), and resets", async () => {
      const a = await halted();
      const b = await reloaded(a, "halted-recover");
      const before = await b.view();
      await refused(b.rpc("bitlayer_recover"), "NOT_SUPPORTED", -32000, /state at block \d+ .*not available.*hardhat_reset/);
      assert.deepEqual(await b.view(), before, "nothing changed");
      await b.rpc("hardhat_reset");
      assert.equal((await b.status()).halted, null);
      await b.transfer(1n);
    });

    // BUG: a batch record gets `rolledBack: true` from bitlayer_recover (SettlementEngine.resume), but
    // the state file schema's batch object (rollup/data-schema.ts, batchSchema, .strict()) has no such
    // key: every dump or state file saved after a recovery is refused by its own devnet with
    // 'corrupt state: settlement.engine.data.batches.3: Unrecognized key: "rolledBack"'.
    it("a devnet that recovered from a halt can be dumped and loaded", async () => {
      const a = await halted();
      await a.rpc("bitlayer_recover");
      const dump = await a.rpc<string>("hardhat_dumpState");
      const b = await start();
      assert.equal(await b.rpc("hardhat_loadState", [dump]), true);
      await assertSameFromNowOn(a, b);
    });

    // L2 blocks not sealed when the state was saved ran on states the file does not keep: the watcher
    // checks their batch against the blocks' headers instead of running them again (a fraudulent
    // claim still differs from the headers).
    it("L2 blocks not yet in a batch when the state was saved are sealed after the load", async () => {
      const a = await start();
      await a.transfer(1n);
      await a.transfer(2n);
      const dump = await a.rpc<string>("hardhat_dumpState");
      const b = await start();
      assert.equal(await b.rpc("hardhat_loadState", [dump]), true);
      for (const c of [a, b]) await c.warp(BLOCK_TIME);
      assert.equal((await b.batches()).length, 1);
      const [sa, sb] = [await a.batch(0), await b.batch(0)];
      assert.equal(sb.lastBlock, "0x2");
      assert.equal(sa.watcher, "re-executed");
      assert.match(sb.watcher, /headers/);
      assert.deepEqual({ ...sb, watcher: sa.watcher }, sa, "the same batch and claim otherwise");
      // Fraud in a batch sealed after the load is still caught.
      await b.rpc("bitlayer_injectFraud");
      await b.transfer(3n);
      await b.warp(4 * BLOCK_TIME);
      assert.notEqual((await b.status()).halted, null);
    });

    describe("a tampered settlement section is refused and changes nothing", () => {
      let dump: Dump;
      let source: Chains;

      /** Loads `dump` changed by `tamper` into a devnet with a state of its own; it must be refused, and that state kept. */
      async function refusedLoad(tamper: (s: SavedSettlement) => void, message: RegExp): Promise<void> {
        const tampered = structuredClone(dump);
        tamper(tampered.settlement);
        const target = await start();
        await target.transfer(5n);
        await target.warp(BLOCK_TIME);
        const before = await target.view();
        await refused(target.rpc("hardhat_loadState", [encodeDump(tampered)]), "STATE_FILE_INVALID", -32000, message);
        assert.deepEqual(await target.view(), before);
      }

      beforeEach(async () => {
        source = await start();
        await scenario(source);
        dump = decodeDump(await source.rpc<string>("hardhat_dumpState"));
      });

      it("a claim at another height", async () => {
        await refusedLoad((s) => {
          const claim = s.engine.data.batches[0].claim;
          claim.height = (claim.height ?? 0) + 1;
        }, /settlement.*claim [0-9a-f]{64} of batch 0 is not at the height saved for it/);
      });

      it("a batch's claim that is not on the Bitcoin chain", async () => {
        await refusedLoad((s) => {
          s.engine.data.batches[1].claim.txid = "ab".repeat(32);
        }, /settlement.*claim (ab){32} of batch 1 is not on the saved Bitcoin chain/);
      });

      it("a Bitcoin block that is not hex", async () => {
        await refusedLoad((s) => {
          const blocks = s.engine.bitcoin.blocks;
          blocks[120] = `${blocks[120].slice(0, -2)}zz`;
        }, /settlement.*block 120/);
      });

      it("a halt in a Bitcoin block that is not on the chain", async () => {
        await refusedLoad((s) => {
          s.engine.data.halt = { batch: 0, bitcoinHeight: 115, bitcoinBlock: "00".repeat(32), reason: "made up" };
        }, /settlement.*halt's Bitcoin block is not on the saved chain/);
      });

      // BUG: dataProblem (rollup/data-schema.ts) accepts as the operator's connector any output of a
      // known transaction (`getCoin(...) ?? getTransaction(...).tx.outs[vout]`), spent or not. The next
      // claim then spends a spent output, Bitcoin refuses it, and every request after the next Bitcoin
      // block fails with INTERNAL_ERROR "the operator's claim for batch N was refused by Bitcoin".
      it("an operator connector that is already spent", async () => {
        const claim0 = (await source.batch(0)).claim.txid;
        const out0 = (await source.getRawTransaction(claim0)).vout[0];
        await refusedLoad((s) => {
          s.engine.data.connector = { txid: claim0, vout: 0, value: String(Math.round(out0.value * 1e8)) };
        }, /settlement.*connector/);
      });

      // The bridge's records are checked against the saved chains too, every field of every record.
      describe("the bridge's part", () => {
        const bridgeOf = (s: SavedSettlement) => (s.engine.data as unknown as { bridge: Record<string, unknown> }).bridge;
        const txid = "ab".repeat(32);
        const hash = `0x${"cd".repeat(32)}`;
        const withdrawal = (batch: number) => ({
          id: hash,
          index: "0",
          from: `0x${"11".repeat(20)}`,
          btcAddress: "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080",
          script: "0x0014751e76e8199196d454941c45d1b3a323f1433bd6",
          amount: "5000",
          l2Tx: hash,
          l2Block: "1",
          batch,
        });

        it("a withdrawal naming a batch that does not exist", async () => {
          await refusedLoad((s) => {
            bridgeOf(s).withdrawals = [withdrawal(99)];
          }, /settlement.*withdrawal 0x(cd){32} names batch 99, which does not exist/);
        });

        it("a withdrawal valid until its last field", async () => {
          await refusedLoad((s) => {
            bridgeOf(s).withdrawals = [{ ...withdrawal(0), escaped: { txid: "not a txid" } }];
          }, /settlement\.engine\.data\.bridge\.withdrawals\.0\.escaped\.txid/);
        });

        it("a deposit that is not on the saved Bitcoin chain", async () => {
          await refusedLoad((s) => {
            bridgeOf(s).deposits = [{ txid, vout: 0, amount: "1000", height: 111 }];
          }, /settlement.*deposit (ab){32}:0 is not on the saved Bitcoin chain/);
        });

        it("a light client past the saved Bitcoin tip", async () => {
          await refusedLoad((s) => {
            bridgeOf(s).lightClientHeight = 1_000_000;
          }, /settlement.*light client holds Bitcoin block 1000000/);
        });

        it("a halt naming a forced transaction that is not recorded", async () => {
          await refusedLoad((s) => {
            (s.engine.data as unknown as { halt: unknown }).halt = {
              forced: txid,
              rollbackTo: "0",
              bitcoinHeight: 111,
              bitcoinBlock: "00".repeat(32),
              reason: "censored",
            };
          }, /settlement.*forced transaction (ab){32}, which is not recorded/);
        });

        it("an unknown field, and a section missing", async () => {
          await refusedLoad((s) => {
            bridgeOf(s).minted = "1000000";
          }, /settlement\.engine\.data\.bridge.*minted/);
          await refusedLoad((s) => {
            delete (s.engine.data as unknown as { bridge?: unknown }).bridge;
          }, /settlement\.engine\.data\.bridge/);
        });
      });

      // The last sealed block follows from the batches; a file that says otherwise (a field of its own,
      // behind the batches' blocks) is refused rather than believed.
      it("a last sealed block behind the batches' blocks", async () => {
        await refusedLoad((s) => {
          s.engine.data.lastSealed = "0";
        }, /settlement.*(last sealed|lastSealed)/);
      });
    });
  });

  it("the same genesis and the same requests give the same Bitcoin blocks, claims, dispute transactions and L2 blocks", async () => {
    const [a, b] = [await start(), await start()];
    for (const c of [a, b]) {
      await scenario(c);
      await haltOn(c);
      await c.rpc("bitlayer_recover");
      const tx = await c.transfer(9n);
      await c.warp({ until: "anchored", tx });
    }
    const txids = async (c: Chains) =>
      (await c.batches()).map((x) => [x.claim.txid, x.take?.txid, x.challenge?.txid, x.assert?.txid, x.disprove?.txid]);
    assert.deepEqual(await txids(a), await txids(b));
    assert.deepEqual(await a.bitcoinBlockHashes(), await b.bitcoinBlockHashes());
    assert.deepEqual(await a.l2BlockHashes(), await b.l2BlockHashes());
    assert.deepEqual(await a.view(), await b.view());
  });
});
