/**
 * The claim chain's Bitcoin transactions, after Bitlayer's BitVM2 design (SIMULATED: the Disprove leaf
 * stands for the BitVM verifier, which here is the watcher's re-execution).
 *
 * Claim (spends the previous claim's connector; the first claim of a chain spends operator funds):
 * - out 0, connector: P2TR(operator): the next claim spends it, so claims form one chain;
 * - out 1, kickoff: P2TR(NUMS; take: `<window> CSV DROP <operator> CHECKSIG`, assert: `<operator> CHECKSIG`,
 *   commitment: `<commitment> DROP <operator> CHECKSIG`);
 * - out 2, challenge connector: P2TR(operator; `<challenger> CHECKSIG`);
 * - out 3, OP_RETURN "BTLC" ‖ version ‖ mode ‖ chain u16 ‖ batch u32 ‖ commitment 32 [‖ simulated proof 32].
 * Take (after the window) spends outs 1 and 2: a Challenge, which spends out 2 first, makes it impossible;
 * that is how Bitcoin itself enforces "hard final = window closed unchallenged". Challenge → Assert
 * (spends out 1 by its assert leaf, publishes the asserted root) → Disprove (spends the Assert's output).
 * In validity-proof mode a claim has outs 0, 1 (commitment leaf only) and the OP_RETURN with the proof.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { opcodes, script, Transaction } from "bitcoinjs-lib";
import { toPlainHex as hex } from "../hex.js";
import {
  checksigLeaf,
  commitmentLeaf,
  NUMS_KEY,
  type Prevouts,
  relativeTimelockLeaf,
  type SchnorrKey,
  signKeyPath,
  signScriptPath,
  type TaprootOutput,
  taprootOutput,
} from "./taproot.js";

export const KICKOFF_VALUE = 10_000n;
export const CHALLENGE_CONNECTOR_VALUE = 2_000n;
/** Fee of every protocol transaction: a few sat/vB, above the minimum relay fee. */
export const PROTOCOL_FEE = 1_000n;
export const CLAIM_MAGIC = "BTLC";
export const CHALLENGE_MAGIC = "BTLX";
export const ASSERT_MAGIC = "BTLA";
export const DISPROVE_MAGIC = "BTLD";
const VERSION = 1;

export type ProofMode = "optimistic" | "validity";

/** The keys of the protocol's two roles. */
export interface ProtocolKeys {
  operator: SchnorrKey;
  challenger: SchnorrKey;
}

/** An output being spent. */
export interface Outpoint {
  txid: string;
  vout: number;
  value: bigint;
  script: Uint8Array;
}

/** What rebuilds a claim's outputs: parameters, not state. */
export interface ClaimParams {
  mode: ProofMode;
  chain: number;
  batch: number;
  commitment: Uint8Array;
  /** Challenge window, in Bitcoin blocks (relative to the claim). */
  windowBlocks: number;
  /** Simulated validity proof (validity mode). */
  proof?: Uint8Array;
}

export function connectorOutput(keys: ProtocolKeys): TaprootOutput {
  return cached(`connector:${hex(keys.operator.xOnly)}`, () => taprootOutput(keys.operator.xOnly));
}

// Tweaking a key is an elliptic-curve multiplication: outputs are built once per claim and reused
// for the claim, its Take and its dispute (a 7-day warp settles every pending batch in one go).
const outputs = new Map<string, TaprootOutput>();
const MAX_CACHED_OUTPUTS = 4096;

function cached(key: string, build: () => TaprootOutput): TaprootOutput {
  let output = outputs.get(key);
  if (!output) {
    if (outputs.size >= MAX_CACHED_OUTPUTS) outputs.clear();
    output = build();
    outputs.set(key, output);
  }
  return output;
}

export function kickoffOutput(keys: ProtocolKeys, p: ClaimParams): TaprootOutput {
  const op = keys.operator.xOnly;
  return cached(`kickoff:${hex(op)}:${p.mode}:${p.windowBlocks}:${hex(p.commitment)}`, () =>
    p.mode === "validity"
      ? taprootOutput(NUMS_KEY, [commitmentLeaf(p.commitment, op)])
      : taprootOutput(NUMS_KEY, [relativeTimelockLeaf(p.windowBlocks, op), checksigLeaf(op), commitmentLeaf(p.commitment, op)]),
  );
}

export function challengeConnectorOutput(keys: ProtocolKeys): TaprootOutput {
  return cached(`challenge:${hex(keys.operator.xOnly)}:${hex(keys.challenger.xOnly)}`, () =>
    taprootOutput(keys.operator.xOnly, [checksigLeaf(keys.challenger.xOnly)]),
  );
}

/** The Assert's output: Disprove by the challenger (leaf 0), or the operator after `blocks` (leaf 1). */
export function assertOutput(keys: ProtocolKeys, blocks: number): TaprootOutput {
  return taprootOutput(NUMS_KEY, [checksigLeaf(keys.challenger.xOnly), relativeTimelockLeaf(blocks, keys.operator.xOnly)]);
}

function opReturn(magic: string, ...parts: Uint8Array[]): Uint8Array {
  return script.compile([opcodes.OP_RETURN, Buffer.concat([Buffer.from(magic, "ascii"), ...parts])]);
}

function u16(n: number): Uint8Array {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function u32(n: number): Uint8Array {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** The OP_RETURN data of a claim. */
export function claimData(p: ClaimParams): Uint8Array {
  return opReturn(
    CLAIM_MAGIC,
    Uint8Array.of(VERSION, p.mode === "validity" ? 1 : 0),
    u16(p.chain),
    u32(p.batch),
    p.commitment,
    ...(p.proof ? [p.proof] : []),
  );
}

/** What a claim's OP_RETURN says, or undefined if the script is not one. */
export function parseClaimData(
  data: Uint8Array,
): { mode: ProofMode; chain: number; batch: number; commitment: Uint8Array; proof?: Uint8Array } | undefined {
  const chunks = script.decompile(data);
  const payload = chunks?.[1];
  if (!chunks || chunks[0] !== opcodes.OP_RETURN || !(payload instanceof Uint8Array)) return undefined;
  const b = Buffer.from(payload);
  if (b.length < 44 || b.subarray(0, 4).toString("ascii") !== CLAIM_MAGIC || b[4] !== VERSION) return undefined;
  const mode = b[5] === 1 ? "validity" : "optimistic";
  return {
    mode,
    chain: b.readUInt16BE(6),
    batch: b.readUInt32BE(8),
    commitment: b.subarray(12, 44),
    proof: mode === "validity" ? b.subarray(44, 76) : undefined,
  };
}

/** The simulated validity proof: a hash binding the commitment to the post-state root the prover computed. */
export function simulatedProof(commitment: Uint8Array, postStateRoot: string): Uint8Array {
  return createHash("sha256")
    .update("BITLAYER-DEVNET/simulated-proof/v1")
    .update(commitment)
    .update(Buffer.from(postStateRoot.slice(2), "hex"))
    .digest();
}

function newTx(): Transaction {
  const tx = new Transaction();
  tx.version = 2;
  return tx;
}

function prevoutsOf(spent: Outpoint[]): Prevouts {
  return { scripts: spent.map((o) => o.script), values: spent.map((o) => o.value) };
}

function addInput(tx: Transaction, o: Outpoint, sequence = 0xfffffffd): void {
  // As tx.addInput sets it, without its per-call schema check (the outpoint is the chain's own)
  tx.ins.push({ hash: Buffer.from(o.txid, "hex").reverse(), index: o.vout, script: new Uint8Array(0), sequence, witness: [] });
}

/** The claim transaction; `funding` is the previous claim's connector (or operator funds for a chain's first claim). */
export function buildClaim(keys: ProtocolKeys, p: ClaimParams, funding: Outpoint, fundingOutput: TaprootOutput): Transaction {
  const tx = newTx();
  addInput(tx, funding);
  const optimistic = p.mode === "optimistic";
  const locked = KICKOFF_VALUE + (optimistic ? CHALLENGE_CONNECTOR_VALUE : 0n) + PROTOCOL_FEE;
  if (funding.value < locked + 1_000n) throw new Error(`the operator's funds (${funding.value} sats) cannot pay for a claim`);
  tx.addOutput(connectorOutput(keys).script, funding.value - locked);
  tx.addOutput(kickoffOutput(keys, p).script, KICKOFF_VALUE);
  if (optimistic) tx.addOutput(challengeConnectorOutput(keys).script, CHALLENGE_CONNECTOR_VALUE);
  tx.addOutput(claimData(p), 0n);
  signKeyPath(tx, 0, prevoutsOf([funding]), fundingOutput, keys.operator);
  return tx;
}

function outpoint(tx: Transaction, vout: number): Outpoint {
  return { txid: tx.getId(), vout, value: tx.outs[vout].value, script: tx.outs[vout].script };
}

/** Take: the operator spends the kickoff (after the window, by its CSV leaf) and the challenge connector. */
export function buildTake(keys: ProtocolKeys, p: ClaimParams, claim: Transaction): Transaction {
  const tx = newTx();
  const spent = [outpoint(claim, 1), outpoint(claim, 2)];
  addInput(tx, spent[0], p.windowBlocks);
  addInput(tx, spent[1]);
  tx.addOutput(connectorOutput(keys).script, spent[0].value + spent[1].value - PROTOCOL_FEE);
  const prevouts = prevoutsOf(spent);
  signScriptPath(tx, 0, prevouts, kickoffOutput(keys, p), 0, keys.operator);
  signKeyPath(tx, 1, prevouts, challengeConnectorOutput(keys), keys.operator);
  return tx;
}

/** Challenge: the challenger spends the claim's challenge connector, which blocks the Take. */
export function buildChallenge(keys: ProtocolKeys, p: ClaimParams, claim: Transaction): Transaction {
  const tx = newTx();
  const spent = [outpoint(claim, 2)];
  addInput(tx, spent[0]);
  tx.addOutput(opReturn(CHALLENGE_MAGIC, u16(p.chain), u32(p.batch)), 0n);
  tx.addOutput(taprootOutput(keys.challenger.xOnly).script, spent[0].value - PROTOCOL_FEE / 2n);
  signScriptPath(tx, 0, prevoutsOf(spent), challengeConnectorOutput(keys), 0, keys.challenger);
  return tx;
}

/** Assert: the operator answers a challenge, publishing the post-state root it stands by. */
export function buildAssert(
  keys: ProtocolKeys,
  p: ClaimParams,
  claim: Transaction,
  assertedRoot: string,
  assertBlocks: number,
): Transaction {
  const tx = newTx();
  const spent = [outpoint(claim, 1)];
  addInput(tx, spent[0]);
  tx.addOutput(assertOutput(keys, assertBlocks).script, spent[0].value - PROTOCOL_FEE);
  tx.addOutput(opReturn(ASSERT_MAGIC, u16(p.chain), u32(p.batch), Buffer.from(assertedRoot.slice(2), "hex")), 0n);
  signScriptPath(tx, 0, prevoutsOf(spent), kickoffOutput(keys, p), 1, keys.operator);
  return tx;
}

/** Disprove: the challenger spends the Assert's output, publishing the post-state root re-execution gives. */
export function buildDisprove(keys: ProtocolKeys, p: ClaimParams, assert: Transaction, root: string, assertBlocks: number): Transaction {
  const tx = newTx();
  const spent = [outpoint(assert, 0)];
  addInput(tx, spent[0]);
  tx.addOutput(opReturn(DISPROVE_MAGIC, u16(p.chain), u32(p.batch), Buffer.from(root.slice(2), "hex")), 0n);
  tx.addOutput(taprootOutput(keys.challenger.xOnly).script, spent[0].value - PROTOCOL_FEE);
  signScriptPath(tx, 0, prevoutsOf(spent), assertOutput(keys, assertBlocks), 0, keys.challenger);
  return tx;
}

/** Take-2: the operator takes an Assert nobody disproved back, `blocks` after it (leaf 1 of the Assert's output). */
export function buildTake2(keys: ProtocolKeys, assert: Transaction, assertBlocks: number): Transaction {
  const tx = newTx();
  const spent = [outpoint(assert, 0)];
  addInput(tx, spent[0], assertBlocks);
  tx.addOutput(connectorOutput(keys).script, spent[0].value - PROTOCOL_FEE);
  signScriptPath(tx, 0, prevoutsOf(spent), assertOutput(keys, assertBlocks), 1, keys.operator);
  return tx;
}
