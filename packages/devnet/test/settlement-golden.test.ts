// The settlement layer's Bitcoin side, pinned: scripted scenarios (batches then a week's warp; a dispute
// that ends in a disproof; a Take-2; validity mode; a peg-in and a paid peg-out) give the same block
// hashes and protocol txids as the code did before the warp was made faster (golden values computed from
// that code). And every block of each scenario is recomputed the straightforward way, with bitcoinjs-lib
// (hash, merkle and witness roots, proof of work, txids), and every Taproot signature in it checked
// again with tiny-secp256k1 against the outputs it spends: what the chain shortcuts must equal what the
// libraries compute, and the devnet's own signatures must hold up without the chain's caches.

import assert from "node:assert/strict";
import { Block, crypto, networks, payments, Transaction } from "bitcoinjs-lib";
import { Interface } from "ethers";
import * as ecc from "tiny-secp256k1";
import type { BitcoinChain } from "../src/bitcoin/index.js";
import { BITCOIN_BRIDGE, createDevnet, type Devnet } from "../src/index.js";

const GENESIS = 1_700_000_000;
const DAY = 24 * 3600;
const WEEK = 7 * DAY;

type Request = (method: string, params?: unknown[]) => Promise<unknown>;

interface Outcome {
  tip: string;
  height: number;
  /** Every protocol txid of every batch, in order (claim, challenge, assert, disprove, take). */
  txids: string[];
}

function chainOf(devnet: Devnet): BitcoinChain {
  const chain = devnet.core.settlement.loaded?.bitcoin;
  if (!chain) throw new Error("the settlement layer was not loaded");
  return chain;
}

async function outcome(devnet: Devnet, r: Request): Promise<Outcome> {
  const chain = chainOf(devnet);
  const batches = (await r("bitlayer_listBatches")) as Record<string, { txid: string } | null>[];
  const txids = batches.flatMap((b) => ["claim", "challenge", "assert", "disprove", "take"].map((k) => b[k]?.txid ?? "-"));
  return { tip: chain.tipHash, height: chain.height, txids };
}

/** Runs `scenario` on a fresh devnet with a fixed genesis, checks its chain against bitcoinjs-lib, answers its outcome. */
async function run(options: Parameters<typeof createDevnet>[0], scenario: (r: Request, devnet: Devnet) => Promise<void>): Promise<Outcome> {
  const devnet = await createDevnet({ genesisTimestamp: GENESIS, ...options });
  try {
    const r: Request = (method, params = []) => devnet.request({ method, params });
    await scenario(r, devnet);
    recompute(chainOf(devnet));
    return await outcome(devnet, r);
  } finally {
    await devnet.close();
  }
}

/**
 * Every block again with bitcoinjs-lib alone: reparsed from its bytes, its hash is the chain's id and
 * the next block's prevHash, its proof of work and merkle/witness roots hold, its txids are the index's;
 * and every Taproot input's signature verifies over the BIP341/342 sighash of the outputs it spends.
 */
function recompute(chain: BitcoinChain): void {
  const outputs = new Map<string, { script: Uint8Array; value: bigint }>();
  let signatures = 0;
  for (let h = 0; h <= chain.height; h++) {
    const block = Block.fromHex(chain.getBlock(h)!.toHex());
    assert.equal(block.getId(), chain.getBlock(h)!.getId());
    assert.equal(chain.heightOf(block.getId()), h, `block ${h}'s id is the chain's`);
    if (h > 0) assert.equal(Buffer.from(block.prevHash!).reverse().toString("hex"), chain.getBlock(h - 1)!.getId());
    assert.ok(block.checkProofOfWork(), `block ${h}: proof of work`);
    assert.ok(block.checkTxRoots(), `block ${h}: merkle root and witness commitment`);
    for (const [index, tx] of block.transactions!.entries()) {
      const txid = tx.getId();
      assert.equal(chain.getTransaction(txid)?.index, index, `block ${h}: txid ${txid} indexed`);
      if (index > 0) signatures += checkTaprootSignatures(tx, outputs);
      for (const [vout, out] of tx.outs.entries()) outputs.set(`${txid}:${vout}`, out);
    }
  }
  assert.ok(signatures > 0 || chain.height <= 110, "the scenario signed something");
}

/** BIP341: the leaf's merkle path, tweaking the control block's internal key, gives the output key with its parity. */
function commits(control: Uint8Array, leafHash: Uint8Array, outputKey: Uint8Array): boolean {
  let node: Uint8Array = leafHash;
  for (let at = 33; at < control.length; at += 32) {
    const sibling = Buffer.from(control.subarray(at, at + 32));
    node = crypto.taggedHash(
      "TapBranch",
      Buffer.compare(node, sibling) <= 0 ? Buffer.concat([node, sibling]) : Buffer.concat([sibling, node]),
    );
  }
  const internal = control.subarray(1, 33);
  const tweaked = ecc.xOnlyPointAddTweak(internal, crypto.taggedHash("TapTweak", Buffer.concat([internal, node])));
  return tweaked !== null && tweaked.parity === (control[0] & 1) && Buffer.from(tweaked.xOnlyPubkey).equals(outputKey);
}

/** Verifies the Schnorr signature of each P2TR input (key path, or a script path's `<key> … OP_CHECKSIG` leaf). */
function checkTaprootSignatures(tx: Transaction, outputs: Map<string, { script: Uint8Array; value: bigint }>): number {
  const spent = tx.ins.map((input) => {
    const out = outputs.get(`${Buffer.from(input.hash).reverse().toString("hex")}:${input.index}`);
    assert.ok(out, "spends a known output");
    return out;
  });
  let checked = 0;
  tx.ins.forEach((input, i) => {
    const script = spent[i].script;
    if (script.length !== 34 || script[0] !== 0x51) return;
    const scripts = spent.map((o) => o.script);
    const values = spent.map((o) => o.value);
    const [sig, leaf] = input.witness;
    let hash: Uint8Array;
    let key: Uint8Array;
    if (input.witness.length === 1) {
      hash = tx.hashForWitnessV1(i, scripts, values, Transaction.SIGHASH_DEFAULT);
      key = script.subarray(2);
    } else {
      const leafHash = crypto.taggedHash("TapLeaf", Buffer.concat([Uint8Array.of(0xc0, leaf.length), leaf]));
      hash = tx.hashForWitnessV1(i, scripts, values, Transaction.SIGHASH_DEFAULT, leafHash);
      key = leaf.subarray(leaf.length - 33, leaf.length - 1);
      assert.ok(commits(input.witness[2], leafHash, script.subarray(2)), `input ${i} of ${tx.getId()}: the control block commits`);
    }
    assert.equal(sig.length, 64);
    assert.ok(ecc.verifySchnorr(hash, key, sig), `input ${i} of ${tx.getId()}: a valid signature`);
    checked++;
  });
  return checked;
}

/** `batches` batches (a transfer, then a Bitcoin block), then a week's warp. */
async function batchesThenWarp(r: Request, batches: number, warp = WEEK): Promise<void> {
  const [a, b] = (await r("eth_accounts")) as string[];
  for (let i = 0; i < batches; i++) {
    await r("eth_sendTransaction", [{ from: a, to: b, value: `0x${(i + 1).toString(16)}` }]);
    await r("bitlayer_mineBitcoin", [1]);
  }
  await r("bitlayer_warp", [warp]);
}

/** Computed by the code before the warp's optimisations (commit 24de633). */
const GOLDEN: Record<string, Outcome> = {
  optimistic: {
    tip: "2ad5494883c4ef0bd87c8134effea98c6bb198c77e88665d56ecb4a4561cb470",
    height: 1124,
    txids: [
      "e0085143abab30a6b2db30420dbcd637d468879c81fc03c6f3a48de0c830d1fb",
      "-",
      "-",
      "-",
      "053f2f69364102b624996d3674dc187524e93e6e4f3de6b870d593188c48f0fd",
      "020c6c64549719884134dcd238c2b3b904cf04618e3d23424ef99d7fd45e52da",
      "-",
      "-",
      "-",
      "df1c35dea5df0afdb5829d562a5e7a3b797653deea19e3e88c113be8624dc31d",
      "ed1b16433edf51dab5d475d74cf2b86f9a981b49b5a9db967e7f5b0494277db3",
      "-",
      "-",
      "-",
      "44eadaf2d368baa8363be751e0cb74a6e46ed8fb7d909b9dae6a31a60cdce37b",
      "354053eda3796b74bb2b452487aeaf1526387cc38e0406f9b9efb83787fb0742",
      "-",
      "-",
      "-",
      "280cecf6e85bdfa2cfaa89244b163ba1adf07b596de3920ce484bccfa318ace4",
      "07f6aedbecc5dabfe49c19a0270e9ba7364be5dfafb9c8f7bd1ff00b94647d44",
      "-",
      "-",
      "-",
      "034fdf90b08a22206f92f6a1926e7c7771340fad2c5a47b688990072b9f136ac",
      "91ba424553da5c5e33c49ac13c16b4aaccf71db8bc41c92ca1e1e699ad47a7de",
      "-",
      "-",
      "-",
      "a80e3982adf4b9d719847a63aed3dddbdee670255be96ca043eab6a6fd0ad59a",
    ],
  },
  fraud: {
    tip: "520f0e56738127bad373eb898226bf5e173fe9bdc870c902e70d3cbf2dc87004",
    height: 116,
    txids: [
      "e0085143abab30a6b2db30420dbcd637d468879c81fc03c6f3a48de0c830d1fb",
      "-",
      "-",
      "-",
      "-",
      "18f35cc08fe23fa776abbbd820923ebb555ff08c4f450a46397bc7df5e41208c",
      "1ffa7a8c5cf6dec3ebbff6ed9b112edebdcf2b283c5f9d25b7bc77ad94afa99b",
      "af5804175dde89a7adeb90f540f47baf4a0017031b3a04c61de8f7ff3c42caa5",
      "b8e8514ff98009e4137b0c1b4e819490c69a0c07a7f13f6085a2795a652c36f1",
      "-",
    ],
  },
  take2: {
    tip: "34a5c5d3685ceb3c107dfbe57262c6125c1bf4b562089ac4e76d5b7d4ed3e9fe",
    height: 263,
    txids: [
      "bc1645312731dce2eb96b5066ebc5f26ccdc5e40fb8e176b805fb8789611e044",
      "87f2c42d335016b2790e7545c526c0d2c17156a6d892ec1b83db446bcccd46e5",
      "7acbc84b9497764c5effbdddb4e92889b89e571a8029633d739ec392ef97dab4",
      "-",
      "3bfc72fe11070eff6792bc05d9cedb70195c972b8d4d57014cf4b92c1179a090",
    ],
  },
  validity: {
    tip: "1d04f2c82baa711faae0724132a5eea750f55cdef78c343a2bf4ea5e79a4e0a2",
    height: 258,
    txids: [
      "cbeb941105f0b783b2c6fb6a84317cf5ec7e2add671a15f5a4ed16e9a507fa53",
      "-",
      "-",
      "-",
      "-",
      "31fe2737ec987b9984df4b7ef0ef116b85cf23bee30ac7b8044f6d94707f76fb",
      "-",
      "-",
      "-",
      "-",
      "b700f3caea55dc0577b52da26814aae417899649bc7e1a1b5137b848539b9b2a",
      "-",
      "-",
      "-",
      "-",
      "a11e82d63f787b4a0368d186c3e35d0a296e1679c6e248ff0ae6a1332c20139f",
      "-",
      "-",
      "-",
      "-",
    ],
  },
  bridge: {
    tip: "7e7820f2d4bf63c135868287a39c37132294b97072948b4c24173718dd1460da",
    height: 1131,
    txids: [
      "e67cc176ed07e6b1a10177f76476bc425357a059437808dd316113d3504f56c4",
      "-",
      "-",
      "-",
      "12e3bf71d1da78719d0a036f8a4f8a35a4c23a0720d6537f157539ab9dd544b0",
    ],
  },
};

describe("settlement on Bitcoin: pinned hashes and txids, and every block recomputed with bitcoinjs-lib", function () {
  this.timeout(120_000);

  it("batches then a week's warp: every batch taken", async () => {
    const got = await run({}, (r) => batchesThenWarp(r, 6));
    assert.deepEqual(got, GOLDEN.optimistic);
  });

  it("a fraudulent claim: challenged, asserted, disproved", async () => {
    const got = await run({}, async (r) => {
      const [a, b] = (await r("eth_accounts")) as string[];
      await r("eth_sendTransaction", [{ from: a, to: b, value: "0x1" }]);
      await r("bitlayer_mineBitcoin", [1]);
      await r("bitlayer_injectFraud");
      await r("eth_sendTransaction", [{ from: a, to: b, value: "0x2" }]);
      await r("bitlayer_mineBitcoin", [5]);
    });
    assert.deepEqual(got, GOLDEN.fraud);
  });

  it("an Assert nobody disproves: the operator's Take-2", async () => {
    const got = await run({}, async (r) => {
      const [a, b] = (await r("eth_accounts")) as string[];
      await r("bitlayer_injectFraud");
      await r("eth_sendTransaction", [{ from: a, to: b, value: "0x1" }]);
      await r("bitlayer_mineBitcoin", [3]);
      await r("bitlayer_setWatcher", [false]);
      await r("bitlayer_mineBitcoin", [150]);
    });
    assert.deepEqual(got, GOLDEN.take2);
  });

  it("validity mode: claims with proofs, verified", async () => {
    const got = await run({ rollup: { proofMode: "validity" } } as Parameters<typeof createDevnet>[0], (r) => batchesThenWarp(r, 4, DAY));
    assert.deepEqual(got, GOLDEN.validity);
  });

  it("a peg-in and a peg-out paid by the bridge", async () => {
    const got = await run({}, async (r) => {
      const [a] = (await r("eth_accounts")) as string[];
      await r("bitlayer_deposit", [a, 50_000_000]);
      const bridge = new Interface(["function withdraw(string btcAddress) payable returns (bytes32)"]);
      const to = payments.p2wpkh({ hash: Buffer.alloc(20, 7), network: networks.regtest }).address;
      const data = bridge.encodeFunctionData("withdraw", [to]);
      await r("eth_sendTransaction", [{ from: a, to: BITCOIN_BRIDGE.address, value: `0x${(10n ** 16n).toString(16)}`, data }]);
      await r("bitlayer_mineBitcoin", [1]);
      await r("bitlayer_warp", [WEEK + 3600]);
      const [w] = (await r("bitlayer_listWithdrawals")) as { status: string }[];
      assert.equal(w?.status, "paid");
    });
    assert.deepEqual(got, GOLDEN.bridge);
  });
});
