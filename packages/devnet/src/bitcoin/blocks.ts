import { Block, opcodes, script, Transaction } from "bitcoinjs-lib";
import { BitcoinChainError } from "./errors.js";
import { ChainBlock, ChainTransaction, merkleRoot, solve, witnessCommitment } from "./ids.js";
import { BLOCK_VERSION, REGTEST_BITS, REGTEST_GENESIS } from "./params.js";

/** OP_RETURN, a 36-byte push, and BIP141's commitment header. */
const WITNESS_COMMITMENT_PREFIX = Uint8Array.from([opcodes.OP_RETURN, 0x24, 0xaa, 0x21, 0xa9, 0xed]);
const WITNESS_RESERVED_VALUE = new Uint8Array(32);

/** The regtest genesis block, byte for byte (hash 0f9188f1…2206). */
export function regtestGenesis(): Block {
  const block = new Block();
  block.version = REGTEST_GENESIS.version;
  block.prevHash = new Uint8Array(32);
  block.transactions = [Transaction.fromHex(REGTEST_GENESIS.coinbaseHex)];
  block.merkleRoot = Block.calculateMerkleRoot(block.transactions);
  block.timestamp = REGTEST_GENESIS.timestamp;
  block.bits = REGTEST_GENESIS.bits;
  block.nonce = REGTEST_GENESIS.nonce;
  if (block.getId() !== REGTEST_GENESIS.hash) throw new BitcoinChainError(`genesis hash mismatch: ${block.getId()}`);
  return block;
}

/** The BIP34 coinbase scriptSig of a height, as Bitcoin Core's miner writes it: `<height> OP_0`. */
export function coinbaseScriptSig(height: number): Uint8Array {
  // Past 16 the height is a plain push of its minimal encoding (1–5 bytes): written directly, as
  // script.compile would, without its per-chunk checks (a week's warp writes 1008 of them).
  if (height <= 16) return script.compile([script.number.encode(height), opcodes.OP_0]);
  // script.number.encode's minimal little-endian bytes, a zero byte added when the top bit would read as a sign
  let length = 0;
  for (let v = height; v > 0; v = Math.floor(v / 256)) length++;
  const top = Math.floor(height / 256 ** (length - 1));
  if (top & 0x80) length++;
  const sig = new Uint8Array(length + 2);
  sig[0] = length;
  for (let i = 0, v = height; v > 0; i++, v = Math.floor(v / 256)) sig[i + 1] = v & 0xff;
  sig[length + 1] = opcodes.OP_0;
  return sig;
}

/** Reads the BIP34 height back from a coinbase scriptSig. */
export function coinbaseHeight(coinbase: Transaction): number {
  const first = script.decompile(coinbase.ins[0].script)?.[0];
  if (first === undefined) throw new BitcoinChainError("coinbase scriptSig is empty");
  if (typeof first === "number") {
    if (first === opcodes.OP_0) return 0;
    if (first >= opcodes.OP_1 && first <= opcodes.OP_16) return first - opcodes.OP_1 + 1;
    throw new BitcoinChainError("coinbase scriptSig does not start with a height");
  }
  return script.number.decode(first, 5);
}

/** Everything a new block is made of. */
export interface BlockTemplate {
  height: number;
  prevHash: Uint8Array;
  timestamp: number;
  payoutScript: Uint8Array;
  /** Subsidy plus the fees of `transactions`. */
  coinbaseValue: bigint;
  transactions: Transaction[];
}

/**
 * Builds a block: coinbase with the BIP34 height (and, when a transaction carries a witness, the
 * BIP141 witness commitment), merkle root, and a nonce meeting the regtest target.
 */
export function buildBlock(template: BlockTemplate): Block {
  const coinbase = new ChainTransaction();
  coinbase.version = 2;
  // Set as addInput/addOutput set them, without their per-call schema checks (~40 µs a block, 1008
  // blocks a week's warp): the chain made these values itself, and mine() checked the payout script.
  coinbase.ins.push({
    hash: new Uint8Array(32),
    index: 0xffffffff,
    script: coinbaseScriptSig(template.height),
    sequence: 0xffffffff,
    witness: [],
  });
  coinbase.outs.push({ script: template.payoutScript, value: template.coinbaseValue });
  const transactions = [coinbase, ...template.transactions];
  const segwit = template.transactions.some((tx) => tx.hasWitnesses());
  let commitment: Buffer | undefined;
  if (segwit) {
    coinbase.setWitness(0, [WITNESS_RESERVED_VALUE]);
    commitment = witnessCommitment(transactions);
    // OP_RETURN <36 bytes>, as script.compile writes it
    coinbase.outs.push({ script: Buffer.concat([WITNESS_COMMITMENT_PREFIX, commitment]), value: 0n });
  }
  const block = new ChainBlock();
  block.version = BLOCK_VERSION;
  block.prevHash = template.prevHash;
  block.timestamp = template.timestamp;
  block.bits = REGTEST_BITS;
  block.transactions = transactions;
  block.merkleRoot = merkleRoot(transactions);
  // what getWitnessCommit() reads back from the coinbase's commitment output
  block.witnessCommit = commitment;
  if (!solve(block)) throw new BitcoinChainError("no nonce meets the target");
  return block;
}
