import assert from "node:assert/strict";
import { VirtualClock } from "../src/clock/clock.js";
import { resolveOptions } from "../src/devnet/options.js";
import { DevnetError } from "../src/errors.js";
import { DEFAULT_MNEMONIC, deriveDevAccounts } from "../src/l2/accounts.js";
import { cryptoBackend } from "../src/l2/crypto.js";
import { defaultValidators, ValidatorSet } from "../src/l2/validators.js";

describe("engine units", () => {
  it("derives the same 20 dev accounts as Hardhat and Anvil", async () => {
    const accounts = await deriveDevAccounts(DEFAULT_MNEMONIC, 20);
    assert.equal(accounts.length, 20);
    assert.equal(accounts[0].address, "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    assert.equal(accounts[0].privateKey, "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
    assert.equal(accounts[19].address, "0x8626f6940E2eb28930eFb4CeF49B2d1F2C9C1199");
  });

  it("derives the same accounts as ethers for another mnemonic, and refuses an invalid one", async () => {
    const phrase = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
    const { HDNodeWallet, Mnemonic } = await import("ethers");
    const root = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(phrase), "m/44'/60'/0'/0");
    const accounts = await deriveDevAccounts(phrase, 3);
    assert.deepEqual(
      accounts.map((a) => [a.address, a.privateKey]),
      [0, 1, 2].map((i) => [root.deriveChild(i).address, root.deriveChild(i).privateKey]),
    );
    await assert.rejects(deriveDevAccounts("test test test", 1), /accounts\.mnemonic/);
  });

  it("recovers senders with the native secp256k1 binding on this machine", () => {
    assert.equal(cryptoBackend, "native");
  });

  it("keeps a fixed clock still until warped, and a wall clock moving", () => {
    let wall = 1_000_000;
    const fixed = new VirtualClock({ genesisTimestamp: 1_700_000_000 }, () => wall);
    wall += 5_000;
    assert.equal(fixed.now(), 1_700_000_000);
    assert.equal(fixed.warp(7 * 24 * 3600), 1_700_000_000 + 604_800);
    const live = new VirtualClock({}, () => wall);
    const start = live.now();
    wall += 3_000;
    assert.equal(live.now(), start + 3);
    const saved = live.state();
    live.warp(100);
    live.restore(saved);
    assert.equal(live.now(), start + 3);
  });

  it("rotates proposers in proportion to stake", () => {
    const set = new ValidatorSet(defaultValidators(4));
    const counts = new Map<string, number>();
    for (let i = 0; i < 1000; i++) {
      const v = set.nextProposer();
      counts.set(v.address, (counts.get(v.address) ?? 0) + 1);
    }
    const stakes = defaultValidators(4).map((v) => counts.get(v.address) ?? 0);
    assert.deepEqual(stakes, [400, 300, 200, 100]);
  });

  it("refuses bad options with the option's name", () => {
    assert.throws(
      () => resolveOptions({ accounts: { count: -1 } }),
      (e: unknown) => e instanceof DevnetError && /accounts\.count/.test(e.message),
    );
    assert.throws(() => resolveOptions({ hardfork: "london" as never }), /hardfork/);
    assert.throws(() => resolveOptions({ chainId: 0 }), /chainId/);
    assert.throws(() => resolveOptions({ bogus: 1 } as never), /bogus|unrecognized/i);
  });
});
