// The devnet's claim chain as an outsider rebuilds it from the documented layout, with bitcoinjs-lib,
// ethers and hashing written here: nothing is imported from the devnet's own rollup code, so a test
// that compares these with what the RPC servers serve is an independent check.

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import type Client from "bitcoin-core";
import { crypto as bcrypto, initEccLib, networks, opcodes, payments, script, type Transaction } from "bitcoinjs-lib";
import { Transaction as EthTransaction, encodeRlp, getBytes, keccak256, toBeArray } from "ethers";
import * as ecc from "tiny-secp256k1";

initEccLib(ecc);

export const regtest = networks.regtest;

/** Fixed genesis time of the devnets these tests start: the same requests give the same chains. */
export const GENESIS_TIMESTAMP = 1_700_000_000;

/** The "mainnet" preset's challenge window: 7 days of 600 s Bitcoin blocks. */
export const WINDOW_BLOCKS = 1008;

/** Bitcoin confirmations that make a claim anchored (the preset's default). */
export const CONFIRMATIONS = 6;

/** BIP341's provably unspendable internal key H (the x coordinate of the NUMS point). */
export const NUMS = Buffer.from("50929b74c1a04954b78b4b6035e97a5e078a5a0f28ec96d547bfee9ace803ac0", "hex");

/** The documented domain tag of a batch commitment (version 1 of the layout). */
const COMMITMENT_TAG = "BITLAYER-DEVNET/batch/v1";

/** The well-known devnet keys of the protocol's roles: the private key is sha256("bitlayer-devnet/<role>"). */
function devnetKey(role: string): { privateKey: Uint8Array; xOnly: Buffer } {
  const privateKey = createHash("sha256").update(`bitlayer-devnet/${role}`).digest();
  const point = ecc.pointFromScalar(privateKey, true);
  assert.ok(point, `the ${role} key is a valid scalar`);
  return { privateKey, xOnly: Buffer.from(point.subarray(1)) };
}

export const OPERATOR = devnetKey("operator");
export const WATCHER = devnetKey("watcher");

// ---------------------------------------------------------------------------------------------------
// JSON-RPC clients

let nextId = 0;

/** One JSON-RPC 2.0 call over HTTP; a JSON-RPC error is thrown as an Error carrying its code. */
export async function jsonRpc<T>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: ++nextId, method, params }),
  });
  const body = (await res.json()) as { result?: T; error?: { code: number; message: string } };
  if (body.error) throw Object.assign(new Error(`${method}: ${body.error.message}`), { code: body.error.code });
  return body.result as T;
}

/** A caller of the L2 JSON-RPC server at `url`. */
export type L2Rpc = <T>(method: string, ...params: unknown[]) => Promise<T>;

export function l2Rpc(url: string): L2Rpc {
  return <T>(method: string, ...params: unknown[]) => jsonRpc<T>(url, method, params);
}

/** A caller of a Bitcoin RPC server through the bitcoin-core client, answering plain JSON copies. */
export type BitcoinRpc = <T>(method: string, ...params: unknown[]) => Promise<T>;

export function bitcoinRpc(client: Client): BitcoinRpc {
  // json-bigint (the client's parser) makes null-prototype objects: hand back plain copies.
  return async <T>(method: string, ...params: unknown[]) =>
    JSON.parse(JSON.stringify((await client.command(method, ...params)) ?? null)) as T;
}

/** Calls in one JSON-RPC batch request (one HTTP round trip); throws the first error any of them got. */
export type BitcoinBatch = <T>(calls: readonly (readonly [string, ...unknown[]])[]) => Promise<T[]>;

export function bitcoinBatch(client: Client): BitcoinBatch {
  return async <T>(calls: readonly (readonly [string, ...unknown[]])[]) => {
    const answers = await client.command<unknown[]>(calls.map(([method, ...parameters]) => ({ method, parameters })));
    const failed = answers.find((a) => a instanceof Error);
    if (failed) throw failed;
    return JSON.parse(JSON.stringify(answers)) as T[];
  };
}

/** The code and message a call was refused with. */
export async function failure(promise: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await promise;
  } catch (err) {
    const { code, message } = err as { code: number; message: string };
    return { code, message };
  }
  assert.fail("expected the call to fail");
}

/** Satoshis of a BTC amount as the RPC prints it (a number, or a string for 16+ digits). */
export function sats(amount: number | string): bigint {
  const [whole, fraction = ""] = (typeof amount === "number" ? amount.toFixed(8) : amount).split(".");
  return BigInt(whole) * 100_000_000n + BigInt(fraction.padEnd(8, "0").slice(0, 8));
}

export const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** The txid of an outpoint's hash (bitcoinjs keeps it in internal byte order). */
export const txidOf = (hash: Uint8Array) => Buffer.from(hash).reverse().toString("hex");

/** getrawtransaction's verbose answer, the fields these tests read. */
export interface VerboseTx {
  txid: string;
  hash: string;
  version: number;
  size: number;
  vsize: number;
  weight: number;
  locktime: number;
  hex: string;
  blockhash?: string;
  confirmations?: number;
  vin: { txid?: string; vout?: number; coinbase?: string; txinwitness?: string[]; sequence: number }[];
  vout: { value: number; n: number; scriptPubKey: { hex: string; address?: string; type: string } }[];
}

// ---------------------------------------------------------------------------------------------------
// L2 blocks and the batch commitment

/** The fields of eth_getBlockByNumber(n, true) that the checks read. */
export interface L2Block {
  hash: string;
  parentHash: string;
  number: string;
  stateRoot: string;
  transactionsRoot: string;
  transactions: L2Transaction[];
  [field: string]: unknown;
}

export interface L2Transaction {
  hash: string;
  from: string;
  type: string;
  chainId?: string;
  nonce: string;
  to: string | null;
  value: string;
  input: string;
  gas: string;
  gasPrice?: string;
  maxFeePerGas?: string;
  maxPriorityFeePerGas?: string;
  accessList?: { address: string; storageKeys: string[] }[];
  r: string;
  s: string;
  v: string;
  yParity?: string;
}

/**
 * The fields a batch commitment covers, as documented. Restated here on purpose (it mirrors the devnet's
 * BatchHeader): the tests rebuild the commitment without the devnet's code.
 */
export interface BatchFields {
  index: number;
  firstBlock: bigint;
  lastBlock: bigint;
  preStateRoot: string;
  postStateRoot: string;
  transactionsRoot: string;
  withdrawalsRoot: string;
}

function root32(hex: string): Buffer {
  assert.match(hex, /^0x[0-9a-f]{64}$/i);
  return Buffer.from(hex.slice(2), "hex");
}

/** sha256(tag ‖ index u64 ‖ first u64 ‖ last u64 ‖ preStateRoot ‖ postStateRoot ‖ transactionsRoot ‖ withdrawalsRoot), big-endian. */
export function rebuildCommitment(f: BatchFields): Buffer {
  const numbers = Buffer.alloc(24);
  numbers.writeBigUInt64BE(BigInt(f.index), 0);
  numbers.writeBigUInt64BE(f.firstBlock, 8);
  numbers.writeBigUInt64BE(f.lastBlock, 16);
  return createHash("sha256")
    .update(Buffer.from(COMMITMENT_TAG, "ascii"))
    .update(numbers)
    .update(root32(f.preStateRoot))
    .update(root32(f.postStateRoot))
    .update(root32(f.transactionsRoot))
    .update(root32(f.withdrawalsRoot))
    .digest();
}

/** keccak256 over the concatenated transactionsRoot of the batch's blocks, in order. */
export function rebuildTransactionsRoot(blocks: readonly L2Block[]): string {
  return keccak256(Buffer.concat(blocks.map((b) => root32(b.transactionsRoot))));
}

/** RLP quantity: no leading zeros, zero as the empty string. */
function quantity(hex: string): string {
  const digits = BigInt(hex).toString(16);
  if (digits === "0") return "0x";
  return digits.length % 2 === 0 ? `0x${digits}` : `0x0${digits}`;
}

/** keccak256 of the RLP header of a Cancun block, from the fields the RPC shows. */
export function headerHash(b: L2Block): string {
  const f = (name: string) => b[name] as string;
  return keccak256(
    encodeRlp([
      b.parentHash,
      f("sha3Uncles"),
      f("miner"),
      b.stateRoot,
      b.transactionsRoot,
      f("receiptsRoot"),
      f("logsBloom"),
      quantity(f("difficulty")),
      quantity(b.number),
      quantity(f("gasLimit")),
      quantity(f("gasUsed")),
      quantity(f("timestamp")),
      f("extraData"),
      f("mixHash"),
      f("nonce"),
      quantity(f("baseFeePerGas")),
      f("withdrawalsRoot"),
      quantity(f("blobGasUsed")),
      quantity(f("excessBlobGas")),
      f("parentBeaconBlockRoot"),
    ]),
  );
}

/** The signed encoding of a transaction as eth_getBlockByNumber shows it (ethers serializes it again). */
export function serializedTransaction(t: L2Transaction): string {
  const type = Number(t.type);
  const tx = EthTransaction.from({
    type,
    chainId: t.chainId,
    nonce: Number(t.nonce),
    to: t.to,
    value: t.value,
    data: t.input,
    gasLimit: t.gas,
    gasPrice: type < 2 ? t.gasPrice : undefined,
    maxFeePerGas: t.maxFeePerGas,
    maxPriorityFeePerGas: t.maxPriorityFeePerGas,
    accessList: type >= 1 ? t.accessList : undefined,
    signature: { r: t.r, s: t.s, v: t.v, yParity: t.yParity === undefined ? undefined : (Number(t.yParity) as 0 | 1) },
  });
  assert.equal(tx.hash, t.hash, `transaction ${t.hash} re-encodes to its hash`);
  return tx.serialized;
}

/** The trie key of transaction `i`: rlp(i). */
export function transactionKey(i: number): Uint8Array {
  return getBytes(encodeRlp(i === 0 ? "0x" : toBeArray(i)));
}

// ---------------------------------------------------------------------------------------------------
// The claim's outputs

/** `<key> OP_CHECKSIG` */
export function checksigLeaf(key: Uint8Array): Buffer {
  return Buffer.from(script.compile([key, opcodes.OP_CHECKSIG]));
}

/** The kickoff's three leaves: take `<window> OP_CSV OP_DROP <op> OP_CHECKSIG`, assert `<op> OP_CHECKSIG`, commitment `<commitment> OP_DROP <op> OP_CHECKSIG`. */
export function kickoffLeaves(commitment: Uint8Array, window: number): [Buffer, Buffer, Buffer] {
  const op = OPERATOR.xOnly;
  return [
    Buffer.from(script.compile([script.number.encode(window), opcodes.OP_CHECKSEQUENCEVERIFY, opcodes.OP_DROP, op, opcodes.OP_CHECKSIG])),
    checksigLeaf(op),
    Buffer.from(script.compile([commitment, opcodes.OP_DROP, op, opcodes.OP_CHECKSIG])),
  ];
}

/** Claim output 1: P2TR(NUMS) over the tree ((take, assert), commitment); `redeem` picks a leaf to spend. */
export function kickoffPayment(commitment: Uint8Array, window: number, redeem?: number): payments.Payment {
  const [take, assertLeaf, commit] = kickoffLeaves(commitment, window);
  const leaves = [take, assertLeaf, commit];
  return payments.p2tr({
    internalPubkey: NUMS,
    scriptTree: [[{ output: take }, { output: assertLeaf }], { output: commit }],
    redeem: redeem === undefined ? undefined : { output: leaves[redeem], redeemVersion: 0xc0 },
    network: regtest,
  });
}

/** Claim output 0 (and what a Take pays back): P2TR(operator), key path only. */
export const connectorPayment = payments.p2tr({ internalPubkey: OPERATOR.xOnly, network: regtest });

/** Claim output 2: P2TR(operator; `<watcher> OP_CHECKSIG`). */
export const challengeConnectorPayment = payments.p2tr({
  internalPubkey: OPERATOR.xOnly,
  scriptTree: { output: checksigLeaf(WATCHER.xOnly) },
  network: regtest,
});

/** What a claim's OP_RETURN says: "BTLC" ‖ version ‖ mode ‖ chain u16 ‖ batch u32 ‖ commitment. */
export interface ClaimData {
  version: number;
  mode: number;
  chain: number;
  batch: number;
  commitment: Buffer;
}

export function parseClaimData(scriptPubKey: Uint8Array): ClaimData | undefined {
  const chunks = script.decompile(scriptPubKey);
  if (chunks?.length !== 2 || chunks[0] !== opcodes.OP_RETURN || typeof chunks[1] === "number") return undefined;
  const data = Buffer.from(chunks[1]);
  if (data.length < 44 || data.subarray(0, 4).toString("ascii") !== "BTLC") return undefined;
  return { version: data[4], mode: data[5], chain: data.readUInt16BE(6), batch: data.readUInt32BE(8), commitment: data.subarray(12, 44) };
}

// ---------------------------------------------------------------------------------------------------
// Taproot signatures (BIP341/342), checked here rather than trusted

function tapLeafHash(leaf: Uint8Array): Buffer {
  assert.ok(leaf.length < 0xfd);
  return Buffer.from(bcrypto.taggedHash("TapLeaf", Buffer.concat([Uint8Array.of(0xc0, leaf.length), leaf])));
}

export interface Spent {
  scripts: Uint8Array[];
  values: bigint[];
}

/** Input `index` of `tx` is a key-path spend with a valid SIGHASH_DEFAULT signature by the output key. */
export function assertKeyPathSpend(tx: Transaction, index: number, spent: Spent): void {
  const witness = tx.ins[index].witness;
  assert.equal(witness.length, 1, "a key-path spend has one witness item");
  assert.equal(witness[0].length, 64, "a 64-byte signature: SIGHASH_DEFAULT");
  const outputKey = spent.scripts[index].subarray(2);
  const hash = tx.hashForWitnessV1(index, spent.scripts, spent.values, 0x00);
  assert.ok(ecc.verifySchnorr(hash, outputKey, witness[0]), `input ${index}'s key-path signature verifies`);
}

/** Input `index` of `tx` spends `payment`'s redeem leaf with a valid signature by `key`: witness [sig, leaf, control block]. */
export function assertScriptPathSpend(tx: Transaction, index: number, spent: Spent, payment: payments.Payment, key: Uint8Array): void {
  const witness = tx.ins[index].witness;
  const expected = payment.witness!;
  assert.equal(witness.length, 3, "a script-path spend: signature, leaf, control block");
  assert.equal(Buffer.from(witness[1]).toString("hex"), Buffer.from(expected[0]).toString("hex"), "the leaf revealed");
  assert.equal(Buffer.from(witness[2]).toString("hex"), Buffer.from(expected[1]).toString("hex"), "the control block");
  assert.equal(witness[0].length, 64);
  const hash = tx.hashForWitnessV1(index, spent.scripts, spent.values, 0x00, tapLeafHash(witness[1]));
  assert.ok(ecc.verifySchnorr(hash, key, witness[0]), `input ${index}'s script-path signature verifies`);
}
