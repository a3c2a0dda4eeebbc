/**
 * Taproot building blocks of the claim chain: the tapscript leaves, the outputs that commit to them, and
 * deterministic BIP340 signing (32 zero bytes of aux randomness, so the same run gives the same txids).
 *
 * @module
 */
import { createHash } from "node:crypto";
import { opcodes, script, type Transaction } from "bitcoinjs-lib";
import * as ecc from "../bitcoin/ecc.js";
import { taggedHash, taprootSighash } from "../bitcoin/sighash.js";
import { signSchnorrNoted, xOnlyOf, xOnlyPointAddTweak } from "../bitcoin/taproot-cache.js";
import { tapleafHash } from "../bitcoin/tapscript.js";

/** BIP341's provably unspendable internal key H: outputs with it can only be spent by a script path. */
export const NUMS_KEY = Uint8Array.from(Buffer.from("50929b74c1a04954b78b4b6035e97a5e078a5a0f28ec96d547bfee9ace803ac0", "hex"));

const LEAF_VERSION = 0xc0;

/** A devnet key derived from a public label: like Hardhat's accounts, known to everyone on purpose. */
export function devnetKey(label: string): Uint8Array {
  return createHash("sha256").update(`bitlayer-devnet/${label}`).digest();
}

/** A signing key with its BIP340 x-only public key. */
export interface SchnorrKey {
  privateKey: Uint8Array;
  xOnly: Uint8Array;
}

export function schnorrKey(privateKey: Uint8Array): SchnorrKey {
  return { privateKey, xOnly: xOnlyOf(privateKey) };
}

/** `<key> OP_CHECKSIG` */
export function checksigLeaf(key: Uint8Array): Uint8Array {
  return script.compile([key, opcodes.OP_CHECKSIG]);
}

/** `<blocks> OP_CHECKSEQUENCEVERIFY OP_DROP <key> OP_CHECKSIG`: the key may spend once the output is `blocks` deep (BIP112). */
export function relativeTimelockLeaf(blocks: number, key: Uint8Array): Uint8Array {
  return script.compile([script.number.encode(blocks), opcodes.OP_CHECKSEQUENCEVERIFY, opcodes.OP_DROP, key, opcodes.OP_CHECKSIG]);
}

/** `<data> OP_DROP <key> OP_CHECKSIG`: a leaf whose only purpose is to commit the output to `data`. */
export function commitmentLeaf(data: Uint8Array, key: Uint8Array): Uint8Array {
  return script.compile([data, opcodes.OP_DROP, key, opcodes.OP_CHECKSIG]);
}

export function leafHash(leaf: Uint8Array): Uint8Array {
  return tapleafHash(LEAF_VERSION, leaf);
}

function branchHash(a: Uint8Array, b: Uint8Array): Uint8Array {
  return taggedHash("TapBranch", Buffer.compare(a, b) <= 0 ? Buffer.concat([a, b]) : Buffer.concat([b, a]));
}

/**
 * A Taproot output: an internal key tweaked by the merkle root of up to four leaves, arranged as a
 * balanced tree ((l0, l1), (l2, l3)); the spending data of each leaf is kept beside it.
 */
export interface TaprootOutput {
  /** The scriptPubKey: OP_1 <32-byte output key>. */
  script: Uint8Array;
  internalKey: Uint8Array;
  merkleRoot: Uint8Array | undefined;
  /** Control block of each leaf, in the order given. */
  controlBlocks: Uint8Array[];
  leaves: readonly Uint8Array[];
}

/** Builds a Taproot output from an internal key and 0–4 leaves. */
export function taprootOutput(internalKey: Uint8Array, leaves: readonly Uint8Array[] = []): TaprootOutput {
  if (leaves.length > 4) throw new Error("at most four leaves");
  const hashes = leaves.map(leafHash);
  // Each leaf's path: the hashes it is paired with on the way up.
  const paths: Uint8Array[][] = hashes.map(() => []);
  let level = hashes.map((hash, i) => ({ hash, members: [i] }));
  while (level.length > 1) {
    const next: typeof level = [];
    for (let i = 0; i < level.length; i += 2) {
      const [a, b] = [level[i], level[i + 1]];
      if (!b) {
        next.push(a);
        continue;
      }
      for (const m of a.members) paths[m].push(b.hash);
      for (const m of b.members) paths[m].push(a.hash);
      next.push({ hash: branchHash(a.hash, b.hash), members: [...a.members, ...b.members] });
    }
    level = next;
  }
  const merkleRoot = level[0]?.hash;
  const tweak = taggedHash("TapTweak", merkleRoot ? Buffer.concat([internalKey, merkleRoot]) : internalKey);
  const tweaked = xOnlyPointAddTweak(internalKey, tweak);
  if (!tweaked) throw new Error("taproot tweak failed");
  const parity = tweaked.parity;
  return {
    script: Buffer.concat([Uint8Array.of(opcodes.OP_1, 32), tweaked.xOnlyPubkey]),
    internalKey,
    merkleRoot,
    controlBlocks: paths.map((path) => Buffer.concat([Uint8Array.of(LEAF_VERSION | parity), internalKey, ...path])),
    leaves,
  };
}

/** The spent outputs of every input of `tx`, which a Taproot signature commits to. */
export interface Prevouts {
  scripts: Uint8Array[];
  values: bigint[];
}

// The tweaked private key of each (key, output) pair: a point multiplication, the same for every
// payment or Take from that output. Keys and outputs are the callers' long-lived objects.
const tweakedKeys = new WeakMap<Uint8Array, WeakMap<TaprootOutput, Uint8Array>>();

/** BIP341's key-path private key: the key (negated for an odd point) plus TapTweak(internal key ‖ merkle root). */
function tweakedPrivateKey(output: TaprootOutput, privateKey: Uint8Array): Uint8Array {
  let byOutput = tweakedKeys.get(privateKey);
  if (!byOutput) {
    byOutput = new WeakMap();
    tweakedKeys.set(privateKey, byOutput);
  }
  let tweaked = byOutput.get(output);
  if (!tweaked) {
    const tweak = taggedHash("TapTweak", output.merkleRoot ? Buffer.concat([output.internalKey, output.merkleRoot]) : output.internalKey);
    const point = ecc.pointFromScalar(privateKey, true) as Uint8Array;
    const base = point[0] === 0x03 ? (ecc.privateNegate(privateKey) as Uint8Array) : privateKey;
    const sum = ecc.privateAdd(base, tweak);
    if (!sum) throw new Error("taproot private tweak failed");
    tweaked = sum;
    byOutput.set(output, tweaked);
  }
  return tweaked;
}

/** Signs input `index` by the key path (`key` is the output's internal key) and sets its witness. */
export function signKeyPath(tx: Transaction, index: number, prevouts: Prevouts, output: TaprootOutput, key: SchnorrKey): void {
  const hash = taprootSighash(tx, index, prevouts.scripts, prevouts.values, 0x00);
  // set as setWitness sets it, without its schema check
  tx.ins[index].witness = [signSchnorrNoted(hash, tweakedPrivateKey(output, key.privateKey))];
}

/** Signs input `index` by the script path of leaf `leafIndex` of `output` and sets its witness. */
export function signScriptPath(
  tx: Transaction,
  index: number,
  prevouts: Prevouts,
  output: TaprootOutput,
  leafIndex: number,
  key: SchnorrKey,
): void {
  const leaf = output.leaves[leafIndex];
  const hash = taprootSighash(tx, index, prevouts.scripts, prevouts.values, 0x00, leafHash(leaf));
  tx.ins[index].witness = [signSchnorrNoted(hash, key.privateKey), leaf, output.controlBlocks[leafIndex]];
}
