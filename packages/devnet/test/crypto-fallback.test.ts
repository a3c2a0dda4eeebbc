import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const INDEX = fileURLToPath(new URL("../src/index.js", import.meta.url));

// A fixed-clock devnet that transfers value, signs a message and deploys code; prints what
// must not depend on which crypto implementation ran.
const SCRIPT = `
const { createDevnet, cryptoBackend } = await import(${JSON.stringify(INDEX)});
const devnet = await createDevnet({ genesisTimestamp: 1700000000 });
const [a, b] = devnet.accounts;
await devnet.request({ method: "eth_sendTransaction", params: [{ from: a.address, to: b.address, value: "0x1234" }] });
await devnet.request({ method: "eth_sendTransaction", params: [{ from: b.address, data: "0x600a600c600039600a6000f3602a60005260206000f3" }] });
const block = await devnet.request({ method: "eth_getBlockByNumber", params: ["latest", false] });
const sig = await devnet.request({ method: "personal_sign", params: ["0x68656c6c6f", a.address] });
console.log(JSON.stringify({ cryptoBackend, address: a.address, hash: block.hash, sig }));
await devnet.close();
`;

async function runWith(env: Record<string, string>): Promise<{ cryptoBackend: string; address: string; hash: string; sig: string }> {
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", SCRIPT], { env: { ...process.env, ...env } });
  return JSON.parse(stdout.trim().split("\n").pop() ?? "{}");
}

describe("native crypto with a JS fallback", function () {
  this.timeout(60_000);

  it("gives the same accounts, block hashes and signatures with native and JS secp256k1/keccak", async () => {
    const [nativeRun, jsRun] = await Promise.all([runWith({}), runWith({ BITLAYER_JS_CRYPTO: "1" })]);
    assert.equal(nativeRun.cryptoBackend, "native");
    assert.equal(jsRun.cryptoBackend, "js");
    assert.equal(jsRun.address, "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    assert.equal(jsRun.address, nativeRun.address);
    assert.equal(jsRun.hash, nativeRun.hash);
    assert.equal(jsRun.sig, nativeRun.sig);
  });
});
