// Regressions for what scripts/fuzz-rpc.mjs found on the merged devnet (issue 5, A/B). One test per finding.

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { type Devnet, MAX_CHAIN_BLOCKS, MAX_DATA_BYTES } from "../src/index.js";
import { devnetFixture } from "./support/devnets.js";

const rpc = <T = unknown>(devnet: Devnet, method: string, params: unknown[] = []) => devnet.request({ method, params }) as Promise<T>;

describe("fuzz findings", function () {
  this.timeout(60_000);
  const fixture = devnetFixture("devnet-fuzz-");

  // Found: a dump larger than anvil_loadState's data bound (MAX_DATA_BYTES, 4 MiB) was built whole in memory
  // and returned, then refused by the devnet's own anvil_loadState ("data too long"); a long chain's
  // dump (a few hardhat_mine 100000) exhausted the heap and killed the server.
  it("anvil_dumpState answers only dumps anvil_loadState accepts, and refuses a larger one by name", async () => {
    const devnet = await fixture.start({ genesisTimestamp: 1_700_000_000 });
    // Incompressible code: two accounts of 3 MiB each make a dump well past 4 MiB gzipped.
    for (const address of ["0x00000000000000000000000000000000000000a1", "0x00000000000000000000000000000000000000a2"]) {
      await rpc(devnet, "hardhat_setCode", [address, `0x${randomBytes(3 * 1024 * 1024).toString("hex")}`]);
    }
    const before = await rpc<string>(devnet, "eth_blockNumber");
    let dump: string | undefined;
    try {
      dump = await rpc<string>(devnet, "anvil_dumpState");
    } catch (error) {
      const e = error as { code: number; reason?: string; message: string };
      assert.equal(e.code, -32005, e.message);
      assert.equal(e.reason, "LIMIT_EXCEEDED");
      assert.match(e.message, /MAX_DATA_BYTES/);
    }
    if (dump !== undefined) {
      assert.ok(dump.length <= 2 + 2 * MAX_DATA_BYTES, `a dump of ${(dump.length - 2) / 2} bytes cannot be loaded back`);
      assert.equal(await rpc(devnet, "anvil_loadState", [dump]), true);
    }
    // Refused or not, nothing changed and the devnet still answers.
    assert.equal(await rpc(devnet, "eth_blockNumber"), before);
    const code = await rpc<string>(devnet, "eth_getCode", ["0x00000000000000000000000000000000000000a1"]);
    assert.equal(code.length, 2 + 2 * 3 * 1024 * 1024);
  });

  it("anvil_dumpState of a small devnet still loads back (same chain, same state)", async () => {
    const devnet = await fixture.start({ genesisTimestamp: 1_700_000_000 });
    const [from] = await rpc<string[]>(devnet, "eth_accounts");
    await rpc(devnet, "eth_sendTransaction", [{ from, to: "0x00000000000000000000000000000000000000b1", value: "0x5" }]);
    await rpc(devnet, "hardhat_mine", ["0x20"]);
    const dump = await rpc<string>(devnet, "anvil_dumpState");
    const head = await rpc<{ hash: string }>(devnet, "eth_getBlockByNumber", ["latest", false]);
    const other = await fixture.start({ genesisTimestamp: 1_700_000_000 });
    assert.equal(await rpc(other, "anvil_loadState", [dump]), true);
    assert.equal((await rpc<{ hash: string }>(other, "eth_getBlockByNumber", ["latest", false])).hash, head.hash);
    assert.equal(await rpc(other, "eth_getBalance", ["0x00000000000000000000000000000000000000b1"]), "0x5");
  });
});

describe("fuzz findings: the chain's length is bounded", function () {
  this.timeout(60_000);
  const fixture = devnetFixture("devnet-fuzz-chain-");

  // Found: every block stays in memory (~4.5 KB an empty one) and nothing bounded their number, so a
  // few hardhat_mine 100000 calls from one client exhausted the heap and killed the server.
  it("past maxBlocks (MAX_CHAIN_BLOCKS by default) mining is refused by name, all-or-nothing, on every path", async () => {
    assert.equal(MAX_CHAIN_BLOCKS, 200_000);
    const devnet = await fixture.start({ genesisTimestamp: 1_700_000_000, maxBlocks: 10 });
    const refused = async (p: Promise<unknown>) =>
      assert.rejects(p, (e: { code: number; reason?: string; message: string }) => {
        assert.equal(e.code, -32005, e.message);
        assert.equal(e.reason, "LIMIT_EXCEEDED");
        assert.match(e.message, /the chain is full: .*bound of 10 blocks .*MAX_CHAIN_BLOCKS/);
        return true;
      });
    await rpc(devnet, "hardhat_mine", ["0x5"]);
    await refused(rpc(devnet, "hardhat_mine", ["0x5"])); // 1 + 5 + 5 = 11 blocks: the whole call is refused
    assert.equal(await rpc(devnet, "eth_blockNumber"), "0x5", "nothing of it was mined");
    await rpc(devnet, "hardhat_mine", ["0x4"]); // exactly 10 blocks, genesis included
    await refused(rpc(devnet, "evm_mine"));
    // Automine: the send is refused and leaves nothing behind (no pooled transaction, no block).
    const from = devnet.accounts[0].address;
    await refused(rpc(devnet, "eth_sendTransaction", [{ from, to: devnet.accounts[1].address, value: "0x1" }]));
    assert.deepEqual(await rpc(devnet, "txpool_status"), { pending: "0x0", queued: "0x0" });
    assert.equal(await rpc(devnet, "eth_blockNumber"), "0x9");
    // A dump of this full chain does not load into a devnet that holds fewer blocks.
    const dump = await rpc<string>(devnet, "anvil_dumpState");
    const smaller = await fixture.start({ genesisTimestamp: 1_700_000_000, maxBlocks: 5 });
    await assert.rejects(rpc(smaller, "anvil_loadState", [dump]), /10 blocks, this devnet holds at most 5 \(maxBlocks\)/);
    assert.equal(await rpc(smaller, "eth_blockNumber"), "0x0");
    // A reset starts over; an option past the bound is refused.
    await rpc(devnet, "hardhat_reset");
    assert.equal(await rpc(devnet, "hardhat_mine", ["0x9"]), true);
    await assert.rejects(fixture.start({ maxBlocks: MAX_CHAIN_BLOCKS + 1 }), /maxBlocks/);
  });
});
