import assert from "node:assert/strict";
import { networks, Psbt, payments, Transaction } from "bitcoinjs-lib";
import { ECPairFactory } from "ecpair";
import { HDNodeWallet, Mnemonic } from "ethers";
import * as ecc from "tiny-secp256k1";
import { BitcoinChain } from "../src/bitcoin/index.js";
import {
  CHANGE_BRANCH,
  deriveActorKey,
  deriveKeyAtPath,
  deriveWalletKey,
  p2wpkhAddress,
  p2wpkhScript,
  RECEIVE_BRANCH,
  signEcdsa,
  signSchnorr,
  taprootTweakedPrivateKey,
} from "../src/bitcoin/keys.js";
import { BitcoinWallet, BitcoinWalletError, type BitcoinWalletState, WALLET_FEE_RATE_PER_KVB } from "../src/bitcoin/wallet.js";
import { TEST_MNEMONIC } from "./support/bitcoin-host.js";

const ABANDON = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const ECPair = ECPairFactory(ecc);
const outsider = ECPair.fromPrivateKey(Buffer.alloc(32, 9));
const outsiderScript = payments.p2wpkh({ pubkey: outsider.publicKey }).output!;
const T0 = 1_700_000_000;

function walletError(fn: () => unknown): BitcoinWalletError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof BitcoinWalletError, `expected BitcoinWalletError, got ${err}`);
    return err;
  }
  assert.fail("expected a wallet error");
}

/** A chain whose first 101 blocks pay the wallet's first address: block 1's coinbase is mature (101 confirmations). */
function fundedWallet(): { chain: BitcoinChain; wallet: BitcoinWallet; address: string } {
  const chain = new BitcoinChain();
  const wallet = new BitcoinWallet(chain, { mnemonic: TEST_MNEMONIC });
  const address = wallet.getNewAddress();
  chain.mine({ timestamp: T0, payoutScript: p2wpkhScript(deriveWalletKey(TEST_MNEMONIC, 0, 0).publicKey), count: 101 });
  return { chain, wallet, address };
}

describe("Bitcoin dev keys (BIP32/39/84/86)", () => {
  it("derives the BIP84 test vector and agrees with an independent BIP32 implementation (ethers) on the regtest paths", () => {
    // BIP84's published vector: m/84'/0'/0'/0/0 of the "abandon … about" mnemonic
    const vector = deriveKeyAtPath(ABANDON, "m/84'/0'/0'/0/0");
    assert.equal(
      payments.p2wpkh({ pubkey: vector.publicKey!, network: networks.bitcoin }).address,
      "bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu",
    );
    for (const [branch, index] of [
      [RECEIVE_BRANCH, 0],
      [RECEIVE_BRANCH, 7],
      [CHANGE_BRANCH, 3],
    ]) {
      const ours = deriveWalletKey(TEST_MNEMONIC, branch, index);
      const theirs = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(TEST_MNEMONIC), `m/84'/1'/0'/${branch}/${index}`);
      assert.equal(Buffer.from(ours.publicKey).toString("hex"), theirs.publicKey.slice(2));
      assert.equal(ours.path, `m/84h/1h/0h/${branch}/${index}`);
      assert.match(p2wpkhAddress(ours.publicKey), /^bcrt1q[02-9ac-hj-np-z]{38}$/);
    }
    const actor = deriveActorKey(TEST_MNEMONIC, 2);
    const theirs = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(TEST_MNEMONIC), "m/86'/1'/2'/0/0");
    assert.equal(Buffer.from(actor.publicKey).toString("hex"), theirs.publicKey.slice(2));
    assert.match(actor.address, /^bcrt1p/);
    assert.notEqual(deriveActorKey(TEST_MNEMONIC, 1).address, actor.address);
    assert.throws(() => deriveKeyAtPath("not a mnemonic", "m/84'"), /BIP-39/);
    assert.throws(() => deriveWalletKey(TEST_MNEMONIC, 0, -1), /index/);
  });

  it("signs deterministically, and a BIP86 actor key spends its Taproot output on the chain", () => {
    const key = deriveWalletKey(TEST_MNEMONIC, 0, 0);
    const hash = Buffer.alloc(32, 5);
    assert.deepEqual(signEcdsa(hash, key.privateKey), signEcdsa(hash, key.privateKey));
    const actor = deriveActorKey(TEST_MNEMONIC, 1);
    const tweaked = taprootTweakedPrivateKey(actor.privateKey);
    assert.deepEqual(signSchnorr(hash, tweaked), signSchnorr(hash, tweaked));
    assert.ok(ecc.verifySchnorr(hash, actor.outputKey, signSchnorr(hash, tweaked)));
    const chain = new BitcoinChain();
    const actorScript = payments.p2tr({ internalPubkey: actor.xOnly, network: networks.regtest }).output!;
    chain.mine({ timestamp: T0, payoutScript: actorScript, count: 101 });
    const coinbase = chain.getBlock(1)!.transactions![0];
    const tx = new Transaction();
    tx.version = 2;
    tx.addInput(coinbase.getHash(), 0);
    tx.addOutput(outsiderScript, coinbase.outs[0].value - 10_000n);
    const sighash = tx.hashForWitnessV1(0, [actorScript], [coinbase.outs[0].value], Transaction.SIGHASH_DEFAULT);
    tx.setWitness(0, [signSchnorr(sighash, tweaked)]);
    assert.equal(chain.acceptToMempool(tx).txid, tx.getId());
  });
});

describe("Bitcoin dev wallet", () => {
  it("hands out the receive addresses in order and recognises its scripts (receive, change and look-ahead)", () => {
    const chain = new BitcoinChain();
    const wallet = new BitcoinWallet(chain, { mnemonic: TEST_MNEMONIC });
    const first = wallet.getNewAddress();
    const second = wallet.getNewAddress();
    assert.equal(first, p2wpkhAddress(deriveWalletKey(TEST_MNEMONIC, 0, 0).publicKey));
    assert.equal(second, p2wpkhAddress(deriveWalletKey(TEST_MNEMONIC, 0, 1).publicKey));
    assert.ok(wallet.isMine(p2wpkhScript(deriveWalletKey(TEST_MNEMONIC, 0, 10).publicKey)), "within the look-ahead");
    assert.ok(wallet.isMine(p2wpkhScript(deriveWalletKey(TEST_MNEMONIC, 1, 0).publicKey)), "change");
    assert.ok(!wallet.isMine(outsiderScript));
    assert.deepEqual(wallet.capture(), { version: 1, receiveIndex: 2, changeIndex: 0 });
    assert.match(wallet.branchDescriptor(0), /^wpkh\(\[[0-9a-f]{8}\/84h\/1h\/0h\]tpub[1-9A-HJ-NP-Za-km-z]+\/0\/\*\)#[a-z0-9]{8}$/);
  });

  it("counts coinbases only once they have 101 confirmations, as Core's wallet", () => {
    const chain = new BitcoinChain();
    const wallet = new BitcoinWallet(chain, { mnemonic: TEST_MNEMONIC });
    const script = p2wpkhScript(deriveWalletKey(TEST_MNEMONIC, 0, 0).publicKey);
    wallet.getNewAddress();
    chain.mine({ timestamp: T0, payoutScript: script, count: 100 });
    assert.equal(wallet.balance(), 0n);
    assert.equal(wallet.listUnspent().length, 0);
    assert.equal(wallet.listUnspent({ includeImmatureCoinbase: true }).length, 100);
    chain.mine({ timestamp: T0, payoutScript: script });
    assert.equal(wallet.balance(), 50n * 100_000_000n);
    const [coin] = wallet.listUnspent();
    assert.equal(coin.confirmations, 101);
    assert.ok(coin.coinbase && coin.safe && coin.labelled);
  });

  it("sees payments from others: unconfirmed ones are unsafe and not in the balance, confirmed ones are", () => {
    const { chain, wallet } = fundedWallet();
    // fund the outsider from the wallet, then let the outsider pay a fresh wallet address
    const funded = wallet.sendToAddress(outsiderScript, 100_000_000n);
    chain.mine({ timestamp: T0, payoutScript: outsiderScript });
    const vout = funded.tx.outs.findIndex((o) => Buffer.from(o.script).equals(Buffer.from(outsiderScript)));
    const target = wallet.getNewAddress();
    const targetScript = payments.p2wpkh({ address: target, network: networks.regtest }).output!;
    const psbt = new Psbt({ network: networks.regtest });
    psbt.addInput({ hash: funded.txid, index: vout, witnessUtxo: { script: outsiderScript, value: 100_000_000n } });
    psbt.addOutput({ script: targetScript, value: 99_990_000n });
    psbt.signAllInputs(outsider);
    psbt.finalizeAllInputs();
    const before = wallet.balance();
    chain.acceptToMempool(psbt.extractTransaction());
    assert.equal(wallet.balance(), before, "untrusted: paid by someone else, unconfirmed");
    const pending = wallet.listUnspent({ minconf: 0 }).find((c) => c.address === target)!;
    assert.equal(pending.confirmations, 0);
    assert.equal(pending.safe, false);
    assert.equal(
      wallet.listUnspent({ minconf: 0, includeUnsafe: false }).find((c) => c.address === target),
      undefined,
    );
    chain.mine({ timestamp: T0, payoutScript: outsiderScript });
    // the block also matures the coinbase of block 2 (now 101 confirmations)
    assert.equal(wallet.balance(), before + 99_990_000n + 5_000_000_000n);
    assert.equal(wallet.listUnspent({ scripts: [targetScript] })[0].safe, true);
  });

  it("sends with change to a new internal address at the documented fee rate, signed so the chain accepts it", () => {
    const { chain, wallet } = fundedWallet();
    const before = wallet.balance();
    const sent = wallet.sendToAddress(outsiderScript, 123_456_789n);
    assert.deepEqual(
      chain.mempoolEntries().map((e) => e.txid),
      [sent.txid],
    );
    const { tx } = sent;
    assert.equal(tx.ins.length, 1);
    assert.equal(tx.ins[0].sequence, 0xfffffffd, "BIP125 signalled");
    assert.equal(tx.locktime, chain.height, "anti fee sniping");
    assert.equal(tx.outs[0].value, 123_456_789n);
    assert.deepEqual(tx.outs[1].script, p2wpkhScript(deriveWalletKey(TEST_MNEMONIC, 1, 0).publicKey), "change at m/84'/1'/0'/1/0");
    // the fee is for the size with Core's dummy 72-byte signature: at most 1 vbyte above the real size
    const rate = (sent.fee * 1000n) / BigInt(tx.virtualSize());
    assert.ok(rate >= WALLET_FEE_RATE_PER_KVB && rate <= WALLET_FEE_RATE_PER_KVB + 200n, `rate ${rate}`);
    assert.equal(wallet.capture().changeIndex, 1);
    assert.equal(wallet.balance(), before - 123_456_789n - sent.fee, "own change is trusted while unconfirmed");
    assert.equal(wallet.balance(1), before - 50n * 100_000_000n, "minconf 1 leaves it out");
    // spends the unconfirmed change next: a chain of two in the mempool
    const next = wallet.sendToAddress(outsiderScript, 49n * 100_000_000n - 200_000_000n, { subtractFeeFromAmount: true });
    assert.equal(next.tx.outs[0].value + next.fee + (next.tx.outs[1]?.value ?? 0n) > 0n, true);
    chain.mine({ timestamp: T0 + 600, payoutScript: outsiderScript });
    assert.deepEqual(
      chain
        .getBlock(chain.height)!
        .transactions!.slice(1)
        .map((t) => t.getId()),
      [sent.txid, next.txid],
    );
  });

  it("refuses with Core's wallet errors and changes nothing", () => {
    const { chain, wallet } = fundedWallet();
    const state = wallet.capture();
    assert.equal(walletError(() => wallet.sendToAddress(outsiderScript, 51n * 100_000_000n)).message, "Insufficient funds");
    assert.equal(walletError(() => wallet.sendToAddress(outsiderScript, 293n)).message, "Transaction amount too small");
    assert.equal(
      walletError(() => wallet.sendToAddress(outsiderScript, 100_000n, { feeRatePerKvB: 500n })).message,
      "Fee rate (0.500 sat/vB) is lower than the minimum fee rate setting (1.000 sat/vB)",
    );
    assert.equal(
      walletError(() => wallet.sendToAddress(outsiderScript, 1_000n, { subtractFeeFromAmount: true })).message,
      "The transaction amount is too small to pay the fee",
    );
    assert.deepEqual(wallet.capture(), state);
    assert.equal(chain.mempoolEntries().length, 0);
  });

  it("captures and restores its state as plain JSON, all-or-nothing", () => {
    const { chain, wallet } = fundedWallet();
    wallet.sendToAddress(outsiderScript, 100_000n);
    const saved: BitcoinWalletState = JSON.parse(JSON.stringify(wallet.capture()));
    assert.deepEqual(saved, { version: 1, receiveIndex: 1, changeIndex: 1 });
    wallet.getNewAddress();
    assert.throws(() => wallet.restore({ ...saved, receiveIndex: -1 }), /wallet state/);
    assert.throws(() => wallet.restore({ ...saved, version: 2 } as never), /wallet state/);
    assert.deepEqual(wallet.capture(), { version: 1, receiveIndex: 2, changeIndex: 1 }, "a failed restore changes nothing");
    wallet.restore(saved);
    assert.equal(wallet.getNewAddress(), p2wpkhAddress(deriveWalletKey(TEST_MNEMONIC, 0, 1).publicKey));
    // a second wallet restored from the same data over the same chain sees the same coins
    const twin = new BitcoinWallet(chain, { mnemonic: TEST_MNEMONIC });
    twin.restore(wallet.capture());
    assert.equal(twin.balance(), wallet.balance());
    assert.deepEqual(twin.listUnspent({ minconf: 0 }), wallet.listUnspent({ minconf: 0 }));
  });
});
