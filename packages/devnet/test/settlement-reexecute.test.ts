import assert from "node:assert/strict";
import { bytesToHex } from "../src/hex.js";
import { createDevnet, type Devnet } from "../src/index.js";
import { INVALID_BATCH_ROOT, reexecuteBatch } from "../src/rollup/reexecute.js";

const rpc = <T = unknown>(d: Devnet, method: string, params: unknown[] = []) => d.request({ method, params }) as Promise<T>;

/** The watcher's own execution of blocks `from`..`to`, with a fresh VM and with a reused one. */
async function both(d: Devnet, from: bigint, to: bigint): Promise<[string, string]> {
  const chain = d.core.chain;
  const blocks = [...chain.store.range(from, to)];
  const own = await chain.vm.shallowCopy();
  return [await reexecuteBatch(chain, blocks), await reexecuteBatch(chain, blocks, own)];
}

describe("settlement: the watcher's re-execution", function () {
  this.timeout(30_000);
  let d: Devnet;
  beforeEach(async () => {
    d = await createDevnet({ genesisTimestamp: 1_700_000_000, bitcoin: { blockTime: 86_400 } });
  });
  afterEach(() => d.close());

  it("gives each block's post-state root, through empty blocks and test controls between blocks", async () => {
    const [a, b] = d.accounts;
    await rpc(d, "eth_sendTransaction", [{ from: a.address, to: b.address, value: "0x1" }]);
    await rpc(d, "hardhat_mine", ["0x3"]);
    // Irregular state between two blocks of one batch, before a block with transactions and before an empty one.
    await rpc(d, "hardhat_setBalance", [`0x${"77".repeat(20)}`, "0x1234"]);
    await rpc(d, "eth_sendTransaction", [{ from: b.address, to: a.address, value: "0x2" }]);
    await rpc(d, "hardhat_setStorageAt", [`0x${"77".repeat(20)}`, "0x1", `0x${"00".repeat(31)}01`]);
    await rpc(d, "evm_mine");
    await rpc(d, "eth_sendTransaction", [{ from: a.address, to: b.address, value: "0x3" }]);
    const store = d.core.chain.store;
    for (let to = 1n; to <= store.height; to++) {
      const expected = bytesToHex(store.byNumber(to)?.block.header.stateRoot as Uint8Array);
      for (const from of [1n, to]) assert.deepEqual(await both(d, from, to), [expected, expected], `blocks ${from}..${to}`);
    }
  });

  it("gives INVALID_BATCH_ROOT for a block whose transactions cannot run on its recorded state, and the VM stays usable", async () => {
    const [a, b] = d.accounts;
    await rpc(d, "eth_sendTransaction", [{ from: a.address, to: b.address, value: "0x1" }]);
    await rpc(d, "eth_sendTransaction", [{ from: a.address, to: b.address, value: "0x2" }]);
    const store = d.core.chain.store;
    const truth = bytesToHex(store.head.block.header.stateRoot);
    // Pretend block 2 ran on another state: the run jumps to that recorded state and ends elsewhere.
    const block2 = store.byNumber(2n);
    assert.ok(block2);
    const recorded = block2.preStateRoot;
    block2.preStateRoot = store.byNumber(0n)?.block.header.stateRoot as Uint8Array;
    try {
      // On genesis' state, block 2's transaction (nonce 1) cannot run.
      assert.deepEqual(await both(d, 1n, 2n), [INVALID_BATCH_ROOT, INVALID_BATCH_ROOT]);
      assert.notEqual(INVALID_BATCH_ROOT, truth);
    } finally {
      block2.preStateRoot = recorded;
    }
    // The reused VM was left clean: the next run is right.
    const own = await d.core.chain.vm.shallowCopy();
    const blocks = [...store.range(1n, 2n)];
    block2.preStateRoot = store.byNumber(0n)?.block.header.stateRoot as Uint8Array;
    assert.equal(await reexecuteBatch(d.core.chain, blocks, own), INVALID_BATCH_ROOT);
    block2.preStateRoot = recorded;
    assert.equal(await reexecuteBatch(d.core.chain, blocks, own), truth);
  });
});
