/**
 * Output scripts as Bitcoin Core describes them in RPC answers: `asm` (ScriptToAsmStr), `type`
 * (Solver / GetTxnOutputType), `address` (ExtractDestination, regtest encodings) and `desc`
 * (InferDescriptor without key information, with its checksum), and the reverse: an address to its script
 * (DecodeDestination).
 *
 * @module
 */
import { address as bjsAddress, script as bjsScript, networks } from "bitcoinjs-lib";
import { toPlainHex as hex } from "../../hex.js";
import * as ecc from "../ecc.js";

const OP_0 = 0x00;
const OP_PUSHDATA1 = 0x4c;
const OP_PUSHDATA2 = 0x4d;
const OP_PUSHDATA4 = 0x4e;
const OP_1NEGATE = 0x4f;
const OP_1 = 0x51;
const OP_16 = 0x60;
const OP_RETURN = 0x6a;
const OP_CHECKSIG = 0xac;
const OP_CHECKMULTISIG = 0xae;

// Core's GetOpName, in opcode order from OP_NOP (0x61) to OP_CHECKSIGADD (0xba).
const NAMES_FROM_NOP = [
  "OP_NOP",
  "OP_VER",
  "OP_IF",
  "OP_NOTIF",
  "OP_VERIF",
  "OP_VERNOTIF",
  "OP_ELSE",
  "OP_ENDIF",
  "OP_VERIFY",
  "OP_RETURN",
  "OP_TOALTSTACK",
  "OP_FROMALTSTACK",
  "OP_2DROP",
  "OP_2DUP",
  "OP_3DUP",
  "OP_2OVER",
  "OP_2ROT",
  "OP_2SWAP",
  "OP_IFDUP",
  "OP_DEPTH",
  "OP_DROP",
  "OP_DUP",
  "OP_NIP",
  "OP_OVER",
  "OP_PICK",
  "OP_ROLL",
  "OP_ROT",
  "OP_SWAP",
  "OP_TUCK",
  "OP_CAT",
  "OP_SUBSTR",
  "OP_LEFT",
  "OP_RIGHT",
  "OP_SIZE",
  "OP_INVERT",
  "OP_AND",
  "OP_OR",
  "OP_XOR",
  "OP_EQUAL",
  "OP_EQUALVERIFY",
  "OP_RESERVED1",
  "OP_RESERVED2",
  "OP_1ADD",
  "OP_1SUB",
  "OP_2MUL",
  "OP_2DIV",
  "OP_NEGATE",
  "OP_ABS",
  "OP_NOT",
  "OP_0NOTEQUAL",
  "OP_ADD",
  "OP_SUB",
  "OP_MUL",
  "OP_DIV",
  "OP_MOD",
  "OP_LSHIFT",
  "OP_RSHIFT",
  "OP_BOOLAND",
  "OP_BOOLOR",
  "OP_NUMEQUAL",
  "OP_NUMEQUALVERIFY",
  "OP_NUMNOTEQUAL",
  "OP_LESSTHAN",
  "OP_GREATERTHAN",
  "OP_LESSTHANOREQUAL",
  "OP_GREATERTHANOREQUAL",
  "OP_MIN",
  "OP_MAX",
  "OP_WITHIN",
  "OP_RIPEMD160",
  "OP_SHA1",
  "OP_SHA256",
  "OP_HASH160",
  "OP_HASH256",
  "OP_CODESEPARATOR",
  "OP_CHECKSIG",
  "OP_CHECKSIGVERIFY",
  "OP_CHECKMULTISIG",
  "OP_CHECKMULTISIGVERIFY",
  "OP_NOP1",
  "OP_CHECKLOCKTIMEVERIFY",
  "OP_CHECKSEQUENCEVERIFY",
  "OP_NOP4",
  "OP_NOP5",
  "OP_NOP6",
  "OP_NOP7",
  "OP_NOP8",
  "OP_NOP9",
  "OP_NOP10",
  "OP_CHECKSIGADD",
];

function opName(op: number): string {
  if (op === OP_0) return "0";
  if (op === OP_PUSHDATA1) return "OP_PUSHDATA1";
  if (op === OP_PUSHDATA2) return "OP_PUSHDATA2";
  if (op === OP_PUSHDATA4) return "OP_PUSHDATA4";
  if (op === OP_1NEGATE) return "-1";
  if (op === 0x50) return "OP_RESERVED";
  if (op >= OP_1 && op <= OP_16) return String(op - OP_1 + 1);
  if (op >= 0x61 && op <= 0xba) return NAMES_FROM_NOP[op - 0x61];
  if (op === 0xff) return "OP_INVALIDOPCODE";
  return "OP_UNKNOWN";
}

/** One element of a script: an opcode, with the pushed bytes for push opcodes. */
interface ScriptOp {
  op: number;
  data?: Uint8Array;
}

/** Core's CScript::GetOp over a whole script; `ok` is false where a push runs past the end. */
function parseScript(s: Uint8Array): { ops: ScriptOp[]; ok: boolean } {
  const ops: ScriptOp[] = [];
  let pc = 0;
  while (pc < s.length) {
    const op = s[pc++];
    if (op > OP_PUSHDATA4) {
      ops.push({ op });
      continue;
    }
    let size = op;
    const lengthBytes = op === OP_PUSHDATA1 ? 1 : op === OP_PUSHDATA2 ? 2 : op === OP_PUSHDATA4 ? 4 : 0;
    if (pc + lengthBytes > s.length) return { ops, ok: false };
    if (lengthBytes > 0) {
      size = 0;
      for (let i = lengthBytes - 1; i >= 0; i--) size = size * 256 + s[pc + i];
      pc += lengthBytes;
    }
    if (pc + size > s.length) return { ops, ok: false };
    ops.push({ op, data: s.subarray(pc, pc + size) });
    pc += size;
  }
  return { ops, ok: true };
}

/** Core's CScript::HasValidOps: every element parses and no opcode is above OP_NOP10 (0xb9). */
export function hasValidOps(s: Uint8Array): boolean {
  const { ops, ok } = parseScript(s);
  return ok && ops.every(({ op }) => op <= 0xb9);
}

/** CScriptNum of up to 4 bytes: little-endian sign-magnitude. */
function scriptNum(data: Uint8Array): number {
  if (data.length === 0) return 0;
  let value = 0;
  for (let i = data.length - 1; i >= 0; i--) value = value * 256 + (i === data.length - 1 ? data[i] & 0x7f : data[i]);
  return data[data.length - 1] & 0x80 ? -value : value;
}

const SIGHASH_NAMES: Record<number, string> = {
  1: "ALL",
  129: "ALL|ANYONECANPAY",
  2: "NONE",
  130: "NONE|ANYONECANPAY",
  3: "SINGLE",
  131: "SINGLE|ANYONECANPAY",
};

/**
 * Core's ScriptToAsmStr: pushes of up to 4 bytes as numbers, longer ones as hex, opcodes by name;
 * `attemptSighashDecode` (scriptSigs) writes a DER signature's hash type as `[ALL]`.
 * @example scriptToAsm(p2wpkh) // "0 751e76e8199196d454941c45d1b3a323f1433bd6"
 */
export function scriptToAsm(s: Uint8Array, attemptSighashDecode = false): string {
  const { ops, ok } = parseScript(s);
  const parts = ops.map(({ op, data }) => {
    if (!data) return opName(op);
    if (data.length <= 4) return String(scriptNum(data));
    const unspendable = s.length > 0 && s[0] === OP_RETURN;
    if (attemptSighashDecode && !unspendable && bjsScript.isCanonicalScriptSignature(data)) {
      const name = SIGHASH_NAMES[data[data.length - 1]];
      if (name) return `${hex(data.subarray(0, -1))}[${name}]`;
    }
    return hex(data);
  });
  if (!ok) parts.push("[error]");
  return parts.join(" ");
}

/** Core's TxoutType names (GetTxnOutputType). */
export type OutputType =
  | "nonstandard"
  | "pubkey"
  | "pubkeyhash"
  | "scripthash"
  | "multisig"
  | "nulldata"
  | "anchor"
  | "witness_v0_keyhash"
  | "witness_v0_scripthash"
  | "witness_v1_taproot"
  | "witness_unknown";

/** A witness program's version and program, or undefined (Core's CScript::IsWitnessProgram). */
function witnessProgram(s: Uint8Array): { version: number; program: Uint8Array } | undefined {
  if (s.length < 4 || s.length > 42) return undefined;
  if (s[0] !== OP_0 && (s[0] < OP_1 || s[0] > OP_16)) return undefined;
  if (s[1] + 2 !== s.length) return undefined;
  return { version: s[0] === OP_0 ? 0 : s[0] - OP_1 + 1, program: s.subarray(2) };
}

/** CPubKey::ValidSize: the length its first byte announces. */
function validPubkeySize(k: Uint8Array): boolean {
  if (k.length === 33) return k[0] === 0x02 || k[0] === 0x03;
  if (k.length === 65) return k[0] === 0x04 || k[0] === 0x06 || k[0] === 0x07;
  return false;
}

function isPushOnly(ops: ScriptOp[]): boolean {
  return ops.every(({ op }) => op <= OP_16);
}

/** Core's Solver: the output type and its solutions (pubkeys, hashes, multisig keys). */
export function solve(s: Uint8Array): { type: OutputType; data: Uint8Array[]; version?: number } {
  if (s.length === 23 && s[0] === 0xa9 && s[1] === 0x14 && s[22] === 0x87) return { type: "scripthash", data: [s.subarray(2, 22)] };
  const witness = witnessProgram(s);
  if (witness) {
    const { version, program } = witness;
    if (version === 0 && program.length === 20) return { type: "witness_v0_keyhash", data: [program] };
    if (version === 0 && program.length === 32) return { type: "witness_v0_scripthash", data: [program] };
    if (version === 1 && program.length === 32) return { type: "witness_v1_taproot", data: [program] };
    if (version === 1 && program.length === 2 && program[0] === 0x4e && program[1] === 0x73) return { type: "anchor", data: [] };
    if (version !== 0) return { type: "witness_unknown", data: [program], version };
    return { type: "nonstandard", data: [] };
  }
  const { ops, ok } = parseScript(s);
  if (s.length >= 1 && s[0] === OP_RETURN && ok && isPushOnly(ops.slice(1))) return { type: "nulldata", data: [] };
  if (!ok) return { type: "nonstandard", data: [] };
  if (ops.length === 2 && ops[0].data && validPubkeySize(ops[0].data) && ops[1].op === OP_CHECKSIG)
    return { type: "pubkey", data: [ops[0].data] };
  if (s.length === 25 && s[0] === 0x76 && s[1] === 0xa9 && s[2] === 0x14 && s[23] === 0x88 && s[24] === OP_CHECKSIG) {
    return { type: "pubkeyhash", data: [s.subarray(3, 23)] };
  }
  const n = ops.length - 3;
  if (n >= 1 && n <= 16 && ops[ops.length - 1].op === OP_CHECKMULTISIG && ops[ops.length - 2].op === OP_1 + n - 1) {
    const m = ops[0].op - OP_1 + 1;
    const keys = ops.slice(1, -2).map((o) => o.data);
    if (m >= 1 && m <= n && keys.every((k): k is Uint8Array => k !== undefined && validPubkeySize(k))) {
      return { type: "multisig", data: [Uint8Array.of(m), ...keys, Uint8Array.of(n)] };
    }
  }
  return { type: "nonstandard", data: [] };
}

/**
 * Core's ExtractDestination + EncodeDestination with regtest parameters (`bcrt` bech32/bech32m, base58
 * versions 111 and 196), or undefined. Pay-to-pubkey outputs have a destination in Core but RPC answers
 * leave out their address, so this returns undefined for them too.
 * @example scriptAddress(p2wpkh) // "bcrt1q…"
 */
export function scriptAddress(s: Uint8Array): string | undefined {
  const { type, data, version } = solve(s);
  switch (type) {
    case "pubkeyhash":
      return bjsAddress.toBase58Check(data[0], networks.regtest.pubKeyHash);
    case "scripthash":
      return bjsAddress.toBase58Check(data[0], networks.regtest.scriptHash);
    case "witness_v0_keyhash":
    case "witness_v0_scripthash":
      return bjsAddress.toBech32(data[0], 0, networks.regtest.bech32);
    case "witness_v1_taproot":
      return bjsAddress.toBech32(data[0], 1, networks.regtest.bech32);
    case "anchor":
      return bjsAddress.toBech32(s.subarray(2), 1, networks.regtest.bech32);
    case "witness_unknown":
      return bjsAddress.toBech32(data[0], version!, networks.regtest.bech32);
    default:
      return undefined;
  }
}

/**
 * Core's DecodeDestination for regtest: the output script of an address, or undefined when it is not a
 * valid regtest address (wrong network, bad checksum, bech32 for v1+ or bech32m for v0, …).
 * @example addressToScript("bcrt1q…") // Uint8Array [0x00, 0x14, …]
 */
export function addressToScript(text: string): Uint8Array | undefined {
  if (text.length > 200) return undefined;
  try {
    const decoded = bjsAddress.fromBech32(text);
    if (decoded.prefix !== networks.regtest.bech32) return undefined;
    const { version, data } = decoded;
    if (version === 0 && data.length !== 20 && data.length !== 32) return undefined;
    if (data.length < 2 || data.length > 40 || version > 16) return undefined;
    return Uint8Array.from([version === 0 ? OP_0 : OP_1 + version - 1, data.length, ...data]);
  } catch {
    // not bech32: try base58 below
  }
  try {
    const { version, hash } = bjsAddress.fromBase58Check(text);
    if (hash.length !== 20) return undefined;
    if (version === networks.regtest.pubKeyHash) return Uint8Array.from([0x76, 0xa9, 0x14, ...hash, 0x88, OP_CHECKSIG]);
    if (version === networks.regtest.scriptHash) return Uint8Array.from([0xa9, 0x14, ...hash, 0x87]);
  } catch {
    // neither encoding
  }
  return undefined;
}

const INPUT_CHARSET = "0123456789()[],'/*abcdefgh@:$%{}IJKLMNOPQRSTUVWXYZ&+-.;<=>?!^_|~ijklmnopqrstuvwxyzABCDEFGH`#\"\\ ";
const CHECKSUM_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

function polyMod(c: bigint, val: number): bigint {
  const c0 = c >> 35n;
  let next = ((c & 0x7ffffffffn) << 5n) ^ BigInt(val);
  if (c0 & 1n) next ^= 0xf5dee51989n;
  if (c0 & 2n) next ^= 0xa9fdca3312n;
  if (c0 & 4n) next ^= 0x1bab10e32dn;
  if (c0 & 8n) next ^= 0x3706b1677an;
  if (c0 & 16n) next ^= 0x644d626ffdn;
  return next;
}

/**
 * Core's DescriptorChecksum (BIP380): the 8 characters after `#`.
 * @example descriptorChecksum("addr(bcrt1q…)")
 */
export function descriptorChecksum(descriptor: string): string {
  let c = 1n;
  let cls = 0;
  let count = 0;
  for (const ch of descriptor) {
    const pos = INPUT_CHARSET.indexOf(ch);
    if (pos < 0) return "";
    c = polyMod(c, pos & 31);
    cls = cls * 3 + (pos >> 5);
    if (++count === 3) {
      c = polyMod(c, cls);
      cls = 0;
      count = 0;
    }
  }
  if (count > 0) c = polyMod(c, cls);
  for (let j = 0; j < 8; j++) c = polyMod(c, 0);
  c ^= 1n;
  let out = "";
  for (let j = 0; j < 8; j++) out += CHECKSUM_CHARSET[Number((c >> BigInt(5 * (7 - j))) & 31n)];
  return out;
}

/** A descriptor with its `#checksum`. */
export function withChecksum(descriptor: string): string {
  return `${descriptor}#${descriptorChecksum(descriptor)}`;
}

/**
 * Core's InferDescriptor with no key information (what `decoderawtransaction` and `getblock` show):
 * `pk()`, `multi()`, `rawtr()`, `addr()` or `raw()`, with the checksum.
 * @example inferDescriptor(p2wpkh) // "addr(bcrt1q…)#…"
 */
export function inferDescriptor(s: Uint8Array): string {
  const { type, data } = solve(s);
  if (type === "pubkey") return withChecksum(`pk(${hex(data[0])})`);
  if (type === "multisig") return withChecksum(`multi(${data[0][0]},${data.slice(1, -1).map(hex).join(",")})`);
  if (type === "witness_v1_taproot" && ecc.isXOnlyPoint(data[0])) return withChecksum(`rawtr(${hex(data[0])})`);
  const address = scriptAddress(s);
  return withChecksum(address ? `addr(${address})` : `raw(${hex(s)})`);
}

/**
 * Core's ScriptToUniv(include_hex, include_address): the `scriptPubKey` object of RPC answers.
 * @example scriptPubKeyJson(out.script) // { asm, desc, hex, address, type }
 */
export function scriptPubKeyJson(s: Uint8Array): { asm: string; desc: string; hex: string; address?: string; type: OutputType } {
  const address = scriptAddress(s);
  return { asm: scriptToAsm(s), desc: inferDescriptor(s), hex: hex(s), ...(address ? { address } : {}), type: solve(s).type };
}
