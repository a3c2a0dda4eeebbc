// Regressions for what scripts/fuzz-rpc.mjs found on the merged devnet (issue 5, A/B). One test per finding.

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { type Devnet, MAX_DATA_BYTES } from "../src/index.js";
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
