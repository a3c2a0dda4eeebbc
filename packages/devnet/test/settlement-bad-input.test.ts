// Bad input to the settlement layer: every refusal has the right reason and JSON-RPC code, names
// what is wrong, and changes nothing (status, Bitcoin height and tip, the clock, the L2 head).
// Invalid settlement options are refused by createDevnet with INVALID_PARAMS naming the option.

import assert from "node:assert/strict";
import { createDevnet, DevnetError, type DevnetOptions, MAX_WARP_SECONDS, PREMINE_BLOCKS } from "../src/index.js";
import { BLOCK_TIME, type Chains, type ChainsView, chainsFixture, GENESIS, refused } from "./support/settlement.js";

const INVALID_PARAMS = -32602;
const LIMIT_EXCEEDED = -32005;
const SERVER_ERROR = -32000;

describe("settlement: bad input", function () {
  this.timeout(60_000);
  const { start } = chainsFixture("devnet-settle-bad-input-");

  let c: Chains;
  let before: ChainsView;

  /** A devnet with a batch anchored and another claimed: something that could change. */
  beforeEach(async () => {
    c = await start();
    const tx = await c.transfer(1n);
    await c.warp({ until: "anchored", tx });
    await c.transfer(2n);
    await c.warp(BLOCK_TIME);
    before = await c.view();
  });

  /**
   * A refusal after which nothing changed: status (clock, Bitcoin height and tip, batches, settings),
   * the Bitcoin mempool, the L2 head (its timestamp) and the safe / finalized blocks.
   */
  async function refuse(promise: Promise<unknown>, reason: string, code: number, message?: RegExp): Promise<void> {
    await refused(promise, reason, code, message);
    assert.deepEqual(await c.view(), before, `refused with ${reason}, yet something changed`);
  }

  it("bitlayer_getBatch of a batch that does not exist: UNKNOWN_BATCH", async () => {
    await refuse(c.batch(999), "UNKNOWN_BATCH", SERVER_ERROR, /batch 999 not found: there are 2 batches/);
    await refuse(c.batch(2), "UNKNOWN_BATCH", SERVER_ERROR);
    await refuse(c.rpc("bitlayer_getBatch", [-1]), "INVALID_PARAMS", INVALID_PARAMS);
  });

  it("bitlayer_warp by a negative, zero, non-integer or absurd number of seconds: INVALID_PARAMS", async () => {
    for (const seconds of [-1, 0, "0x0", 1.5, MAX_WARP_SECONDS + 1, 100 * 365 * 24 * 3600]) {
      await refuse(c.rpc("bitlayer_warp", [seconds]), "INVALID_PARAMS", INVALID_PARAMS, /bitlayer_warp/);
    }
    await refuse(c.warp(MAX_WARP_SECONDS + 1), "INVALID_PARAMS", INVALID_PARAMS, /between 1 and 315360000 \(10 years\)/);
  });

  it("bitlayer_warp past the simulated Bitcoin chain's bound (bitcoin.maxBlocks): LIMIT_EXCEEDED", async () => {
    const small = await start({ bitcoin: { maxBlocks: 1000 } });
    const s = await small.status();
    const view = await small.view();
    // The first warp whose blocks reach the bound: (max - height) blocks from nextBlockAt.
    const past = s.bitcoin.nextBlockAt + (1000 - s.bitcoin.height - 1) * BLOCK_TIME - s.time;
    await refused(small.warp(past), "LIMIT_EXCEEDED", LIMIT_EXCEEDED, /bound of 1000 blocks.*nothing changed/);
    assert.deepEqual(await small.view(), view, "nothing changed");
    // One block less fits.
    await small.warp(past - BLOCK_TIME);
    assert.equal((await small.status()).bitcoin.height, 999, "a chain of 1000 blocks, genesis included");
  });

  it("a jump longer than the catch-up bound produces only its latest slots (2 × (window + confirmations + assert blocks))", async () => {
    const s = await c.status();
    const result = await c.warp(MAX_WARP_SECONDS);
    const bound = 2 * (1008 + 6 + 144);
    assert.equal((result as { bitcoinBlocks: number }).bitcoinBlocks, bound);
    const after = await c.status();
    assert.equal(after.bitcoin.height, s.bitcoin.height + bound);
    assert.equal(after.time, s.time + MAX_WARP_SECONDS);
    // The latest slots: the tip's time is the last slot's, not the first skipped one's.
    assert.equal(after.bitcoin.nextBlockAt, after.time - (after.time % BLOCK_TIME) + BLOCK_TIME + (GENESIS % BLOCK_TIME));
    // Accept the state as unchanged for the bad-input check of this suite.
    before = await c.view();
  });

  it("bitlayer_warp until an unknown transaction, a pending one, an unknown block, or a level that is not anchored / hard", async () => {
    await refuse(c.warp({ until: "hard", tx: `0x${"11".repeat(32)}` }), "UNKNOWN_TRANSACTION", SERVER_ERROR, /not found/);
    await refuse(c.warp({ until: "anchored", block: 99 }), "UNKNOWN_BLOCK", SERVER_ERROR);
    await refuse(c.rpc("bitlayer_warp", [{ until: "soft", block: 1 }]), "INVALID_PARAMS", INVALID_PARAMS);
    await refuse(c.rpc("bitlayer_warp", [{ until: "pending", block: 1 }]), "INVALID_PARAMS", INVALID_PARAMS);
    await refuse(c.rpc("bitlayer_warp", [{ until: "invalidated", block: 1 }]), "INVALID_PARAMS", INVALID_PARAMS);
  });

  it("bitlayer_warp until a pending transaction: INVALID_PARAMS", async () => {
    await c.rpc("evm_setAutomine", [false]);
    const tx = await c.transfer(3n);
    await refuse(c.warp({ until: "hard", tx }), "INVALID_PARAMS", INVALID_PARAMS, /pending/);
    await refuse(c.warp({ until: "anchored", tx }), "INVALID_PARAMS", INVALID_PARAMS, /pending/);
    assert.equal((await c.finality(tx)).level, "pending");
    await c.rpc("hardhat_dropTransaction", [tx]);
    await c.rpc("evm_setAutomine", [true]);
  });

  it("bitlayer_mineBitcoin with 0 or 10001 blocks or a non-regtest address: INVALID_PARAMS", async () => {
    await refuse(c.rpc("bitlayer_mineBitcoin", [0]), "INVALID_PARAMS", INVALID_PARAMS, /1 to 10000/);
    await refuse(c.rpc("bitlayer_mineBitcoin", [10_001]), "INVALID_PARAMS", INVALID_PARAMS, /1 to 10000/);
    await refuse(
      c.rpc("bitlayer_mineBitcoin", [1, "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"]),
      "INVALID_PARAMS",
      INVALID_PARAMS,
      /not a regtest Bitcoin address/,
    );
    await refuse(c.rpc("bitlayer_mineBitcoin", [1, "not an address"]), "INVALID_PARAMS", INVALID_PARAMS);
  });

  it("bitlayer_injectFraud with something that is not a 32-byte root: INVALID_PARAMS", async () => {
    for (const root of ["0x1234", `0x${"zz".repeat(32)}`, "ab".repeat(32), `0x${"ab".repeat(33)}`, 7]) {
      await refuse(c.rpc("bitlayer_injectFraud", [root]), "INVALID_PARAMS", INVALID_PARAMS, /postStateRoot/);
    }
    assert.equal((await c.status()).rollup.fraudInjected, false);
  });

  it("bitlayer_setWatcher with a non-boolean, bitlayer_getFinality with a malformed target: INVALID_PARAMS", async () => {
    await refuse(c.rpc("bitlayer_setWatcher", ["no"]), "INVALID_PARAMS", INVALID_PARAMS);
    await refuse(c.rpc("bitlayer_getFinality", ["0xzz"]), "INVALID_PARAMS", INVALID_PARAMS);
    await refuse(c.finality(`0x${"22".repeat(32)}`), "UNKNOWN_TRANSACTION", SERVER_ERROR);
  });

  it("bitlayer_recover when the L2 is running: NOT_HALTED", async () => {
    await refuse(c.rpc("bitlayer_recover"), "NOT_HALTED", SERVER_ERROR, /not halted/);
  });
});

describe("settlement: the warp bound on a devnet whose Bitcoin chain is not loaded yet", function () {
  this.timeout(60_000);
  const { start } = chainsFixture("devnet-settle-bad-input-fresh-");

  // The premined blocks count before Bitcoin is loaded too (warpBy once took the height as 0 then).
  it("refuses a warp past the Bitcoin bound as the first request too", async () => {
    const c = await start({ bitcoin: { maxBlocks: 1000 } });
    // From genesis, PREMINE_BLOCKS + blocks >= maxBlocks: past the bound.
    const seconds = (1000 - PREMINE_BLOCKS) * BLOCK_TIME;
    await refused(c.warp(seconds), "LIMIT_EXCEEDED", LIMIT_EXCEEDED, /bitcoin\.maxBlocks/);
    const s = await c.status();
    assert.equal(s.time, GENESIS, "nothing changed: the clock");
    assert.equal(s.bitcoin.height, PREMINE_BLOCKS, "nothing changed: Bitcoin");
  });
});

describe("settlement: invalid options", () => {
  const invalid: [string, DevnetOptions, RegExp][] = [
    ["a window of one block", { rollup: { challengePeriod: BLOCK_TIME } }, /rollup\.challengePeriod: 600 s .* is 1 blocks.*2 to 65535/],
    ["a window under two blocks", { rollup: { challengePeriod: 1 } }, /rollup\.challengePeriod/],
    ["a window of 65536 blocks", { rollup: { challengePeriod: 65_536 * BLOCK_TIME } }, /rollup\.challengePeriod: .* is 65536 blocks/],
    [
      "a window too long for 1-second blocks",
      { bitcoin: { blockTime: 1 }, rollup: { challengePeriod: 65_536 } },
      /rollup\.challengePeriod: 65536 s at 1 s/,
    ],
    ["a block time of 0", { bitcoin: { blockTime: 0 } }, /bitcoin\.blockTime/],
    ["a negative block time", { bitcoin: { blockTime: -600 } }, /bitcoin\.blockTime/],
    ["an unknown rollup option", { rollup: { finalityDepth: 3 } } as unknown as DevnetOptions, /rollup.*finalityDepth/],
    ["an unknown bitcoin option", { bitcoin: { network: "mainnet" } } as unknown as DevnetOptions, /bitcoin.*network/],
    ["proofMode zk", { rollup: { proofMode: "zk" } } as unknown as DevnetOptions, /rollup\.proofMode/],
    ["an unknown preset", { preset: "slow" } as unknown as DevnetOptions, /preset/],
    ["0 confirmations", { rollup: { confirmations: 0 } }, /rollup\.confirmations/],
    ["0 assert blocks", { rollup: { assertBlocks: 0 } }, /rollup\.assertBlocks/],
    ["a non-boolean watcher", { rollup: { watcher: "yes" } } as unknown as DevnetOptions, /rollup\.watcher/],
  ];
  for (const [what, options, message] of invalid) {
    it(`refuses ${what}: INVALID_PARAMS naming the option`, async () => {
      await assert.rejects(createDevnet({ genesisTimestamp: GENESIS, ...options }), (error: unknown) => {
        assert.ok(error instanceof DevnetError, String(error));
        assert.equal(error.code, "INVALID_PARAMS");
        assert.match(error.message, /invalid devnet option/);
        assert.match(error.message, message);
        return true;
      });
    });
  }

  it("accepts the bounds: a window of 2 and of 65535 blocks", async () => {
    // BLOCK_TIME + 1 s rounds up to 2 blocks.
    for (const challengePeriod of [2 * BLOCK_TIME, BLOCK_TIME + 1, 65_535 * BLOCK_TIME]) {
      const devnet = await createDevnet({ genesisTimestamp: GENESIS, rollup: { challengePeriod } });
      try {
        const s = (await devnet.request({ method: "bitlayer_status" })) as { rollup: { windowBlocks: number } };
        assert.equal(s.rollup.windowBlocks, Math.ceil(challengePeriod / BLOCK_TIME));
      } finally {
        await devnet.close();
      }
    }
  });
});

describe("settlement: Bitcoin's 32-bit time and incompatible state files", function () {
  this.timeout(60_000);
  const { start } = chainsFixture("devnet-settle-bad-input-time-");

  it("mining on demand past 2^32 - 1 seconds is refused whole, with Bitcoin's time limit named", async () => {
    const c = await start({ genesisTimestamp: 0xffffffff - 100 });
    await c.rpc("bitlayer_mineBitcoin", [10]);
    const view = await c.view();
    await refused(c.rpc("bitlayer_mineBitcoin", [200]), "LIMIT_EXCEEDED", LIMIT_EXCEEDED, /32-bit.*nothing was mined/);
    assert.deepEqual(await c.view(), view, "nothing changed");
  });

  it("a state file made with other settlement settings is refused, naming them", async () => {
    const a = await start();
    await a.transfer(1n);
    await a.warp(BLOCK_TIME);
    const dump = await a.rpc<string>("hardhat_dumpState");
    const b = await start({ preset: "fast" });
    const view = await b.view();
    await refused(
      b.rpc("hardhat_loadState", [dump]),
      "STATE_FILE_INVALID",
      -32000,
      /incompatible state: saved with settlement settings bitcoinBlockTime 600, windowBlocks 1008, assertBlocks 144, forceInclusionSeconds 259200; this devnet runs bitcoinBlockTime 1, windowBlocks 60, assertBlocks 6, forceInclusionSeconds 120/,
    );
    assert.deepEqual(await b.view(), view, "nothing changed");
  });
});
