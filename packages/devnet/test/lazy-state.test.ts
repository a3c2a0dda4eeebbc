// The state code (dump, load and the state file's schema) loads with the first dump, load or state file, not with
// every devnet: a devnet whose first request is anvil_dumpState or anvil_loadState, or that starts from a state file,
// must work as any other.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const entry = fileURLToPath(new URL("../src/index.js", import.meta.url));

/** Runs `body` in a fresh Node with a devnet; returns what it printed and whether state/dump.js was loaded by then. */
async function run(body: string): Promise<{ atStart: boolean; out: unknown }> {
  const script = `
    import { registerHooks } from "node:module";
    const loaded = new Set();
    registerHooks({ load(url, context, next) { loaded.add(url); return next(url, context); } });
    const { createDevnet } = await import(${JSON.stringify(entry)});
    const devnet = await createDevnet({ genesisTimestamp: 1_700_000_000 });
    await devnet.request({ method: "eth_blockNumber" });
    const atStart = [...loaded].some((url) => url.endsWith("/state/dump.js"));
    const out = await (async () => { ${body} })();
    await devnet.close();
    process.stdout.write(JSON.stringify({ atStart, out }));
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], { timeout: 60_000 });
  return JSON.parse(stdout) as { atStart: boolean; out: unknown };
}

describe("state code loads on first use", function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "bitlayer-lazy-state-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("a devnet does not load it; anvil_dumpState then anvil_loadState (first uses) round-trip the state", async () => {
    const { atStart, out } = await run(`
      const [from, to] = devnet.accounts.map((a) => a.address);
      await devnet.request({ method: "eth_sendTransaction", params: [{ from, to, value: "0x1234" }] });
      const dump = await devnet.request({ method: "anvil_dumpState" });
      const other = await createDevnet({ genesisTimestamp: 1_700_000_000 });
      const loaded = await other.request({ method: "anvil_loadState", params: [dump] });
      const same = await Promise.all([devnet, other].map((d) => d.request({ method: "eth_getBlockByNumber", params: ["latest", false] })));
      const balance = await other.request({ method: "eth_getBalance", params: [to, "latest"] });
      await other.close();
      return { loaded, sameHead: same[0].hash === same[1].hash, number: same[1].number, balance };
    `);
    assert.equal(atStart, false);
    assert.deepEqual(out, { loaded: true, sameHead: true, number: "0x1", balance: "0x21e19e0c9bab2401234" });
  });

  it("a state file is saved on close and loaded by the next devnet", async () => {
    const file = join(dir, "state.json");
    const { out } = await run(`
      const saved = await createDevnet({ genesisTimestamp: 1_700_000_000, stateFile: ${JSON.stringify(file)} });
      await saved.request({ method: "evm_mine" });
      const head = await saved.request({ method: "eth_getBlockByNumber", params: ["latest", false] });
      await saved.close();
      const again = await createDevnet({ genesisTimestamp: 1_700_000_000, stateFile: ${JSON.stringify(file)} });
      const loaded = await again.request({ method: "eth_getBlockByNumber", params: ["latest", false] });
      await again.close();
      return { same: head.hash === loaded.hash, number: loaded.number };
    `);
    assert.deepEqual(out, { same: true, number: "0x1" });
  });
});
