/**
 * Taproot script-path spends (BIP341 commitment, BIP342 tapscript) for a fixed set of leaf templates.
 * The control block and its commitment to the output key are checked in full; the leaf itself is not
 * run by a general interpreter but matched against the templates below and evaluated exactly as Bitcoin
 * Core's interpreter would evaluate that script, errors and their order included. Any other leaf is
 * refused as `bad-txns-nonstandard-inputs`.
 *
 * @module
 */
import { script } from "bitcoinjs-lib";
import { compactSize } from "./ids.js";
import { checkSequence } from "./locktime.js";
import { SEQUENCE_LOCKTIME_DISABLE_FLAG } from "./params.js";
import { checkSchnorrSignature, type TaprootInput } from "./schnorr.js";
import { policyScriptError, ScriptError, scriptError, unsimulatedInput } from "./script-errors.js";
import { taggedHash } from "./sighash.js";
import { type TweakedKey, xOnlyPointAddTweak } from "./taproot-cache.js";

const CONTROL_BASE_SIZE = 33;
const CONTROL_NODE_SIZE = 32;
const CONTROL_MAX_SIZE = CONTROL_BASE_SIZE + CONTROL_NODE_SIZE * 128;
const LEAF_VERSION_MASK = 0xfe;
const LEAF_VERSION_TAPSCRIPT = 0xc0;
/** Consensus limits on the stack of a witness script (Core's MAX_STACK_SIZE, MAX_SCRIPT_ELEMENT_SIZE). */
const MAX_STACK_SIZE = 1000;
const MAX_SCRIPT_ELEMENT_SIZE = 520;

const OP_0 = 0x00;
const OP_1NEGATE = 0x4f;
const OP_1 = 0x51;
const OP_16 = 0x60;
const OP_DROP = 0x75;
const OP_CHECKSIG = 0xac;
const OP_CHECKSEQUENCEVERIFY = 0xb2;
const PUSH_32 = 0x20;

/** What the refusal of any other leaf lists. */
export const SIMULATED_TAPSCRIPTS = [
  "<32-byte x-only key> OP_CHECKSIG",
  "<n> OP_CHECKSEQUENCEVERIFY OP_DROP <32-byte x-only key> OP_CHECKSIG",
  "<32-byte data> OP_DROP <32-byte x-only key> OP_CHECKSIG",
] as const;

/** A leaf matched against the simulated templates: the key its OP_CHECKSIG checks, and the CSV operand if any. */
interface Template {
  key: Uint8Array;
  csv?: bigint;
}

/**
 * Verifies a script-path spend of `input`, whose witness (annex already removed) is `witness`:
 * `[...stack, leafScript, controlBlock]`.
 */
export function verifyScriptPath(input: TaprootInput, witness: Uint8Array[]): void {
  const { txid } = input;
  const control = witness[witness.length - 1];
  const leaf = witness[witness.length - 2];
  const stack = witness.slice(0, -2);
  if (
    control.length < CONTROL_BASE_SIZE ||
    control.length > CONTROL_MAX_SIZE ||
    (control.length - CONTROL_BASE_SIZE) % CONTROL_NODE_SIZE !== 0
  ) {
    throw scriptError(ScriptError.TAPROOT_WRONG_CONTROL_SIZE, txid);
  }
  const leafVersion = control[0] & LEAF_VERSION_MASK;
  const leafHash = tapleafHash(leafVersion, leaf);
  const outputKey = input.prevouts[input.index].script.subarray(2);
  if (!commitsTo(control, outputKey, leafHash)) throw scriptError(ScriptError.WITNESS_PROGRAM_MISMATCH, txid);
  // Unknown leaf versions are left for soft forks: valid by consensus, refused by policy
  if (leafVersion !== LEAF_VERSION_TAPSCRIPT) throw policyScriptError(ScriptError.DISCOURAGE_UPGRADABLE_TAPROOT_VERSION, txid);
  const template = matchTemplate(leaf);
  if (!template) {
    throw unsimulatedInput(input.index, `tapscript leaf is not one of the simulated templates: ${SIMULATED_TAPSCRIPTS.join("; ")}`, txid);
  }
  runTemplate(input, template, stack, leafHash);
}

/** BIP341's tapleaf hash: TapLeaf-tagged hash of the leaf version and the compact-size-prefixed script. */
export function tapleafHash(leafVersion: number, leaf: Uint8Array): Uint8Array {
  return taggedHash("TapLeaf", Buffer.concat([Uint8Array.of(leafVersion), compactSize(leaf.length), leaf]));
}

/**
 * BIP341's commitment check (Core's VerifyTaprootCommitment): the merkle path from the leaf, each step
 * hashing the sorted pair, gives the root; the internal key tweaked by TapTweak(key || root) must be
 * the output key, with the parity the control block's first byte states.
 */
function commitsTo(control: Uint8Array, outputKey: Uint8Array, leafHash: Uint8Array): boolean {
  let node = leafHash;
  for (let offset = CONTROL_BASE_SIZE; offset < control.length; offset += CONTROL_NODE_SIZE) {
    const sibling = control.subarray(offset, offset + CONTROL_NODE_SIZE);
    const pair = Buffer.compare(node, sibling) < 0 ? [node, sibling] : [sibling, node];
    node = taggedHash("TapBranch", Buffer.concat(pair));
  }
  const internalKey = control.subarray(1, CONTROL_BASE_SIZE);
  const tweak = taggedHash("TapTweak", Buffer.concat([internalKey, node]));
  let tweaked: TweakedKey | null;
  try {
    tweaked = xOnlyPointAddTweak(internalKey, tweak);
  } catch {
    return false; // not a point, or a tweak past the group order: Core's check fails the same way
  }
  return tweaked !== null && tweaked.parity === (control[0] & 1) && Buffer.from(tweaked.xOnlyPubkey).equals(outputKey);
}

/** The template a leaf script is, byte for byte, or undefined. */
function matchTemplate(leaf: Uint8Array): Template | undefined {
  const end = leaf.length - 34; // `<32-byte key> OP_CHECKSIG` closes every template
  if (end < 0 || leaf[end] !== PUSH_32 || leaf[leaf.length - 1] !== OP_CHECKSIG) return undefined;
  const key = leaf.subarray(end + 1, leaf.length - 1);
  const head = leaf.subarray(0, end);
  if (head.length === 0) return { key };
  if (head.length === 34 && head[0] === PUSH_32 && head[33] === OP_DROP) return { key };
  if (head.length >= 3 && head[head.length - 2] === OP_CHECKSEQUENCEVERIFY && head[head.length - 1] === OP_DROP) {
    const csv = minimalNumberPush(head.subarray(0, -2));
    return csv === undefined ? undefined : { key, csv };
  }
  return undefined;
}

/**
 * The number a single minimal push pushes (Core's CheckMinimalPush and CScriptNum with the 5-byte
 * limit of OP_CHECKSEQUENCEVERIFY), or undefined for anything else.
 */
function minimalNumberPush(push: Uint8Array): bigint | undefined {
  const op = push[0];
  if (push.length === 1) {
    if (op === OP_0) return 0n;
    if (op === OP_1NEGATE) return -1n;
    return op >= OP_1 && op <= OP_16 ? BigInt(op - OP_1 + 1) : undefined;
  }
  if (op < 1 || op > 5 || push.length !== op + 1) return undefined;
  const data = push.subarray(1);
  // these have a one-byte opcode of their own
  if (data.length === 1 && ((data[0] >= 1 && data[0] <= 16) || data[0] === 0x81)) return undefined;
  try {
    return BigInt(script.number.decode(data, 5, true));
  } catch {
    return undefined;
  }
}

/**
 * Runs a template as Core's ExecuteWitnessScript and EvalScript would: stack limits, then (for the CSV
 * template) OP_CHECKSEQUENCEVERIFY, then OP_CHECKSIG on the top item, then the clean-stack rule.
 */
function runTemplate(input: TaprootInput, template: Template, stack: Uint8Array[], leafHash: Uint8Array): void {
  const fail = (error: string) => scriptError(error, input.txid);
  if (stack.length > MAX_STACK_SIZE) throw fail(ScriptError.STACK_SIZE);
  if (stack.some((item) => item.length > MAX_SCRIPT_ELEMENT_SIZE)) throw fail(ScriptError.PUSH_SIZE);
  // every template starts with a push
  if (stack.length + 1 > MAX_STACK_SIZE) throw fail(ScriptError.STACK_SIZE);
  const n = template.csv;
  if (n !== undefined) {
    if (n < 0n) throw fail(ScriptError.NEGATIVE_LOCKTIME);
    // an operand with the disable flag makes OP_CHECKSEQUENCEVERIFY a NOP, kept for soft forks
    if ((n & BigInt(SEQUENCE_LOCKTIME_DISABLE_FLAG)) === 0n && !checkSequence(input.tx, input.index, n)) {
      throw fail(ScriptError.UNSATISFIED_LOCKTIME);
    }
  }
  if (stack.length < 1) throw fail(ScriptError.INVALID_STACK_OPERATION);
  const sig = stack[stack.length - 1];
  // BIP342: an empty signature is a valid "no", any other must verify; the validation-weight budget
  // (witness size + 50) always covers the one signature a template checks
  if (sig.length > 0) checkSchnorrSignature(input, sig, template.key, leafHash);
  if (stack.length !== 1) throw fail(ScriptError.CLEANSTACK);
  if (sig.length === 0) throw fail(ScriptError.EVAL_FALSE);
}
