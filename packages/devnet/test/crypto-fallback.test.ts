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
// Each transaction type eth_sendTransaction signs (legacy, EIP-2930, EIP-1559), and a peg-in's mint (a system
// transaction): the native signer must give the library's signatures exactly.
await devnet.request({ method: "eth_sendTransaction", params: [{ from: a.address, to: b.address, value: "0x1", gasPrice: "0x77359400" }] });
await devnet.request({ method: "eth_sendTransaction", params: [{ from: a.address, to: b.address, value: "0x2", gasPrice: "0x77359400", accessList: [] }] });
await devnet.request({ method: "eth_sendTransaction", params: [{ from: a.address, to: b.address, value: "0x3", maxFeePerGas: "0x77359400" }] });
await devnet.request({ method: "bitlayer_deposit", params: [a.address, "0x186a0"] });
const types = [];
for (let n = 1; n <= Number(await devnet.request({ method: "eth_blockNumber" })); n++) {
  const b = await devnet.request({ method: "eth_getBlockByNumber", params: ["0x" + n.toString(16), true] });
  for (const tx of b.transactions) types.push(tx.type);
}
const block = await devnet.request({ method: "eth_getBlockByNumber", params: ["latest", false] });
const sig = await devnet.request({ method: "personal_sign", params: ["0x68656c6c6f", a.address] });
// The Bitcoin side's keys (BIP-32, derived natively or with the library): the wallet's descriptors and next address,
// and the chain, whose coinbases pay the wallet and whose claims the operator's Taproot key signs.
await devnet.request({ method: "bitlayer_mineBitcoin", params: [7] });
const bitcoin = {
  unspent: await devnet.bitcoinRequest("listunspent"),
  address: await devnet.bitcoinRequest("getnewaddress"),
  tip: await devnet.bitcoinRequest("getbestblockhash"),
};
console.log(JSON.stringify({ cryptoBackend, address: a.address, hash: block.hash, sig, types, bitcoin }));
await devnet.close();
`;

async function runWith(
  env: Record<string, string>,
): Promise<{ cryptoBackend: string; address: string; hash: string; sig: string; types: string[]; bitcoin: unknown }> {
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", SCRIPT], { env: { ...process.env, ...env } });
  return JSON.parse(stdout.trim().split("\n").pop() ?? "{}");
}

describe("native crypto with a JS fallback", function () {
  this.timeout(60_000);

  it("gives the same accounts, block hashes and signatures with native and JS secp256k1/keccak (every signed transaction type), and the same Bitcoin keys, wallet and chain", async () => {
    const [nativeRun, jsRun] = await Promise.all([runWith({}), runWith({ BITLAYER_JS_CRYPTO: "1" })]);
    assert.equal(nativeRun.cryptoBackend, "native");
    assert.equal(jsRun.cryptoBackend, "js");
    assert.equal(jsRun.address, "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    assert.equal(jsRun.address, nativeRun.address);
    assert.equal(jsRun.hash, nativeRun.hash);
    assert.equal(jsRun.sig, nativeRun.sig);
    for (const type of ["0x0", "0x1", "0x2"]) assert.ok(nativeRun.types.includes(type), `a transaction of type ${type} was signed`);
    assert.deepEqual(jsRun.types, nativeRun.types);
    assert.deepEqual(jsRun.bitcoin, nativeRun.bitcoin);
    assert.match(JSON.stringify(nativeRun.bitcoin), /wpkh\(\[[0-9a-f]{8}\/84h\/1h\/0h\/0\/0\]0[23]/);
  });
});
