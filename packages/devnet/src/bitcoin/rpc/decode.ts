/**
 * Core's DecodeHexTx for RPC input: hex, then a transaction with nothing left over.
 *
 * @module
 */
import { Transaction } from "bitcoinjs-lib";

/** The transaction a hex string holds, or undefined (not hex, malformed, trailing bytes). */
export function decodeHexTx(text: string): Transaction | undefined {
  if (text.length === 0 || !/^([0-9a-fA-F]{2})+$/.test(text)) return undefined;
  try {
    const tx = Transaction.fromHex(text);
    // Core refuses a transaction without inputs here: its bytes read as a witness marker.
    return tx.ins.length > 0 ? tx : undefined;
  } catch {
    return undefined;
  }
}
