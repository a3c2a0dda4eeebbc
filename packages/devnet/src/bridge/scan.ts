/**
 * What a Bitcoin transaction means to the bridge: peg-ins (outputs paid to the bridge, with a `BTL`
 * marker naming the L2 recipient) and forced transactions (`BTLF` + a raw signed L2 transaction).
 *
 * @module
 */
import { script as bscript, type Transaction } from "bitcoinjs-lib";
import { equalBytes } from "../bitcoin/coins.js";

/** OP_RETURN data of a peg-in: `BTL` then the 20-byte L2 recipient (23 bytes in all). */
export const DEPOSIT_MARKER = Buffer.from("BTL", "ascii");
/** OP_RETURN data of a forced transaction: `BTLF` then the raw signed L2 transaction. */
export const FORCED_MARKER = Buffer.from("BTLF", "ascii");

/** The data pushed by an OP_RETURN output, or undefined for any other output. */
export function opReturnData(script: Uint8Array): Buffer | undefined {
  if (script[0] !== 0x6a) return undefined;
  const chunks = bscript.decompile(script);
  if (!chunks || chunks.length < 2) return chunks?.length === 1 ? Buffer.alloc(0) : undefined;
  const data = chunks.slice(1);
  if (!data.every((c): c is Uint8Array => c instanceof Uint8Array)) return undefined;
  return Buffer.concat(data);
}

/** A peg-in output: its amount, and its recipient or why it has none. */
export interface PegIn {
  vout: number;
  amount: bigint;
  recipient?: string;
  problem?: string;
}

/**
 * Whether OP_RETURN data is a forced transaction. `BTLF` + 19 bytes is also `BTL` + a recipient starting
 * with 0x46: in a transaction paying the bridge, that is a peg-in.
 */
function isForced(data: Buffer, paysBridge: boolean): boolean {
  return data.subarray(0, 4).equals(FORCED_MARKER) && (data.length !== 23 || !paysBridge);
}

/** The outputs of `tx` that pay `bridgeScript`, each with the recipient its `BTL` marker names. */
export function pegInsOf(tx: Transaction, bridgeScript: Uint8Array): PegIn[] {
  const paying: { vout: number; amount: bigint }[] = [];
  tx.outs.forEach((out, vout) => {
    if (equalBytes(out.script, bridgeScript)) paying.push({ vout, amount: out.value });
  });
  if (paying.length === 0) return [];
  const markers = tx.outs
    .map((out) => opReturnData(out.script))
    .filter((d): d is Buffer => d?.subarray(0, 3).equals(DEPOSIT_MARKER) === true && !isForced(d, true));
  let recipient: string | undefined;
  let problem: string | undefined;
  if (markers.length === 0) problem = "no BTL marker: the transaction has no OP_RETURN output with `BTL` + the 20-byte L2 recipient";
  else if (markers.length > 1) problem = `${markers.length} BTL markers: a peg-in names exactly one L2 recipient`;
  else if (markers[0].length !== 23) problem = `bad recipient: the BTL marker carries ${markers[0].length - 3} bytes after BTL, not 20`;
  else if (markers[0].subarray(3).every((b) => b === 0)) problem = "bad recipient: the zero address";
  else recipient = `0x${markers[0].subarray(3).toString("hex")}`;
  return paying.map((p) => ({ ...p, recipient, problem }));
}

/** The raw L2 transaction a `BTLF` output carries, if `tx` has one (it may not decode: the caller says). */
export function forcedTransactionOf(tx: Transaction, bridgeScript: Uint8Array): Buffer | undefined {
  // Most transactions (every empty block's coinbase) carry no OP_RETURN at all.
  if (!tx.outs.some((out) => out.script[0] === 0x6a)) return undefined;
  const paysBridge = tx.outs.some((out) => equalBytes(out.script, bridgeScript));
  for (const out of tx.outs) {
    const data = opReturnData(out.script);
    if (data && isForced(data, paysBridge)) return data.subarray(4);
  }
  return undefined;
}
