// The Bitcoin side's keys of a default start, written out (src/bitcoin/known-keys.generated.ts): they must be what
// deriving them gives, be used only where they apply, and spare the start every elliptic-curve operation (the native
// secp256k1 context is created by the first signature instead).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { SECP256K1_ORDER } from "@ethereumjs/util";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { deriveKnownKeys, generatedFile, KNOWN_CHILDREN, renderKnownKeys } from "../scripts/known-bitcoin-keys.js";
import {
  CHANGE_BRANCH,
  childPublicKey,
  deriveChildPublicKey,
  deriveWalletAccount,
  RECEIVE_BRANCH,
  type WalletAccount,
  walletAccount,
} from "../src/bitcoin/keys.js";
import { KNOWN_DEFAULT_WALLET } from "../src/bitcoin/known-keys.generated.js";
import { xOnlyOf } from "../src/bitcoin/taproot-cache.js";
import { DEFAULT_MNEMONIC } from "../src/defaults.js";
import { devnetKey } from "../src/rollup/taproot.js";

const OTHER_MNEMONIC = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const accountHex = (a: WalletAccount) => ({
  fingerprint: a.fingerprint,
  xpub: a.xpub,
  branches: a.branches.map((b) => [hex(b.key), hex(b.chainCode)]),
});

describe("simulated Bitcoin: the keys a default start would derive, written out", function () {
  this.timeout(60_000);

  it("known-keys.generated.ts is what deriving them gives (run scripts/known-bitcoin-keys.js after changing a derivation)", () => {
    assert.equal(readFileSync(generatedFile, "utf8"), renderKnownKeys(deriveKnownKeys()));
  });

  it("walletAccount and childPublicKey give the derived keys: written out, past the table, and for another mnemonic", () => {
    const account = walletAccount(DEFAULT_MNEMONIC);
    assert.deepEqual(accountHex(account), accountHex(deriveWalletAccount(DEFAULT_MNEMONIC)));
    assert.equal(account.xpub, KNOWN_DEFAULT_WALLET.xpub, "the default account comes from the table");
    for (const branch of [RECEIVE_BRANCH, CHANGE_BRANCH])
      for (const index of [0, 1, KNOWN_CHILDREN - 1, KNOWN_CHILDREN, KNOWN_CHILDREN + 7]) {
        const parent = account.branches[branch];
        const [known, derived] = [childPublicKey(parent, index), deriveChildPublicKey(parent, index)];
        assert.deepEqual([hex(known.key), hex(known.chainCode)], [hex(derived.key), hex(derived.chainCode)], `${branch}/${index}`);
      }
    const other = walletAccount(OTHER_MNEMONIC);
    assert.notEqual(other.xpub, account.xpub);
    assert.deepEqual(accountHex(other), accountHex(deriveWalletAccount(OTHER_MNEMONIC)));
    assert.equal(hex(childPublicKey(other.branches[0], 0).key), hex(deriveChildPublicKey(other.branches[0], 0).key));
    // A key with the default branch's point but another chain code is another key.
    const twisted = { key: account.branches[0].key, chainCode: other.branches[0].chainCode };
    assert.equal(hex(childPublicKey(twisted, 0).key), hex(deriveChildPublicKey(twisted, 0).key));
    assert.notEqual(hex(childPublicKey(twisted, 0).key), KNOWN_DEFAULT_WALLET.children[0][0].slice(0, 66));
  });

  it("hands out fresh arrays: a caller changing one does not change the next answer", () => {
    const first = walletAccount(DEFAULT_MNEMONIC);
    first.branches[0].key.fill(0);
    const child = childPublicKey(walletAccount(DEFAULT_MNEMONIC).branches[0], 0);
    child.key.fill(0);
    assert.equal(hex(walletAccount(DEFAULT_MNEMONIC).branches[0].key), KNOWN_DEFAULT_WALLET.branches[0].slice(0, 66));
    assert.equal(hex(childPublicKey(walletAccount(DEFAULT_MNEMONIC).branches[0], 0).key), KNOWN_DEFAULT_WALLET.children[0][0].slice(0, 66));
  });

  it("xOnlyOf gives the labelled keys' x-only keys from the table, and derives any other", () => {
    for (const label of ["operator", "watcher", "bridge", "broker", "someone-else"]) {
      const point = secp256k1.getPublicKey(devnetKey(label), true);
      assert.equal(hex(xOnlyOf(devnetKey(label))), hex(point.subarray(1)), label);
    }
  });

  it("the curve order ecc.ts uses (@ethereumjs/util's, written out in the bundles) is secp256k1's", () => {
    assert.equal(SECP256K1_ORDER, secp256k1.Point.Fn.ORDER);
  });

  it("a default devnet brings its Bitcoin side up without a secp256k1 context; the first Bitcoin signature creates it", async () => {
    const entry = JSON.stringify(new URL("../src/index.js", import.meta.url).href);
    const nativeModule = JSON.stringify(new URL("../src/native.js", import.meta.url).href);
    const script = `
      const { createDevnet } = await import(${entry});
      const { native, nativeContexts } = await import(${nativeModule});
      const devnet = await createDevnet({ genesisTimestamp: 1_700_000_000 });
      const status = await devnet.request({ method: "bitlayer_status" });
      const atStart = nativeContexts.created;
      const address = await devnet.bitcoinRequest("getnewaddress");
      const txid = await devnet.bitcoinRequest("sendtoaddress", [address, 1]);
      const tx = await devnet.bitcoinRequest("getrawtransaction", [txid, true]);
      await devnet.close();
      process.stdout.write(JSON.stringify({ native: native !== undefined, height: status.bitcoin.height, atStart, after: nativeContexts.created, witness: tx.vin[0].txinwitness.length }));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], { timeout: 60_000 });
    const r = JSON.parse(stdout) as { native: boolean; height: number; atStart: number; after: number; witness: number };
    assert.ok(r.native, "the native binding is installed here");
    assert.ok(r.height > 100, "the Bitcoin side is up");
    assert.equal(r.atStart, 0);
    assert.equal(r.after, 1);
    assert.equal(r.witness, 2, "a P2WPKH spend: signature and public key");
  });
});
