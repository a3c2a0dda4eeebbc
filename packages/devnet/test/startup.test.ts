// What starting a devnet loads. Start-up time is not asserted (the machine is shared and noisy);
// what costs it is: libraries the devnet only needs later (ethers, for signing and console.log
// decoding, ~200 ms and ~16 MB) must not be loaded by importing the engine and creating a devnet.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const entry = fileURLToPath(new URL("../src/index.js", import.meta.url));

/** Runs a fresh Node that records every module it loads while importing the engine and running `body`. */
async function modulesLoadedBy(body: string): Promise<string[]> {
  const script = `
    import { registerHooks } from "node:module";
    const loaded = new Set();
    registerHooks({ load(url, context, next) { loaded.add(url); return next(url, context); } });
    const { createDevnet } = await import(${JSON.stringify(entry)});
    const devnet = await createDevnet({ genesisTimestamp: 1_700_000_000 });
    ${body}
    await devnet.close();
    process.stdout.write(JSON.stringify([...loaded]));
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], { timeout: 60_000 });
  return JSON.parse(stdout) as string[];
}

const isEthers = (url: string) => /\/node_modules\/ethers\//.test(url);

describe("start-up loads only what starting needs", function () {
  this.timeout(60_000);

  it("importing the engine, creating a devnet and sending a transfer does not load ethers", async () => {
    const loaded = await modulesLoadedBy(`
      const [from, to] = devnet.accounts.map((a) => a.address);
      await devnet.request({ method: "eth_sendTransaction", params: [{ from, to, value: "0x1" }] });
      await devnet.request({ method: "txpool_inspect" });
    `);
    assert.ok(
      loaded.some((url) => url.includes("/@ethereumjs/vm/")),
      "the recorder saw the engine's modules",
    );
    assert.deepEqual(loaded.filter(isEthers), []);
  });

  it("the first console.log or signature does load it (the check above can fail)", async () => {
    const loaded = await modulesLoadedBy(`
      await devnet.request({ method: "personal_sign", params: ["0x68656c6c6f", devnet.accounts[0].address] });
    `);
    assert.ok(loaded.some(isEthers), "ethers is loaded on first use");
  });
});
