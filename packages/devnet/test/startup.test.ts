// What starting a devnet loads. Start-up time is not asserted (the machine is shared and noisy);
// what costs it is: libraries the devnet only needs later (ethers, for signing and console.log
// decoding, ~200 ms and ~16 MB) must not be loaded by importing the engine and creating a devnet.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { DEFAULT_MNEMONIC, deriveAccounts, deriveDevAccounts } from "../src/l2/accounts.js";
import { defaultValidators } from "../src/l2/validators.js";

const entry = fileURLToPath(new URL("../src/index.js", import.meta.url));
const nativeModule = fileURLToPath(new URL("../src/native.js", import.meta.url));

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

  it("creating a devnet creates no secp256k1 context (~12 ms); the first signature and recovery do, and are right", async () => {
    const script = `
      const { createDevnet } = await import(${JSON.stringify(entry)});
      const { native, nativeContexts } = await import(${JSON.stringify(nativeModule)});
      const devnet = await createDevnet({ genesisTimestamp: 1_700_000_000 });
      const atStart = nativeContexts.created;
      const [from, to] = devnet.accounts.map((a) => a.address);
      const hash = await devnet.request({ method: "eth_sendTransaction", params: [{ from, to, value: "0x1" }] });
      const tx = await devnet.request({ method: "eth_getTransactionByHash", params: [hash] });
      const balance = await devnet.request({ method: "eth_getBalance", params: [to, "latest"] });
      await devnet.close();
      process.stdout.write(JSON.stringify({ native: native !== undefined, atStart, after: nativeContexts.created, txFrom: tx.from, from, balance }));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], { timeout: 60_000 });
    const r = JSON.parse(stdout) as { native: boolean; atStart: number; after: number; txFrom: string; from: string; balance: string };
    assert.ok(r.native, "the native binding is installed here");
    assert.equal(r.atStart, 0);
    assert.equal(r.after, 1);
    assert.equal(r.txFrom, r.from.toLowerCase());
    assert.equal(BigInt(r.balance), 10_000n * 10n ** 18n + 1n);
  });

  it("the written-out default accounts and validators are what deriving them gives", async () => {
    const derived = await deriveAccounts(DEFAULT_MNEMONIC, 25);
    assert.deepEqual(await deriveDevAccounts(DEFAULT_MNEMONIC, 20), derived.slice(0, 20));
    assert.deepEqual(await deriveDevAccounts(DEFAULT_MNEMONIC, 25), derived);
    assert.deepEqual(await deriveDevAccounts(DEFAULT_MNEMONIC, 3), derived.slice(0, 3));
    assert.deepEqual(defaultValidators(6), defaultValidators(6, []));
  });
});
