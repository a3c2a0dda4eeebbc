/**
 * The Bitcoin side of a peg-in and of a forced transaction, done by the dev wallet in one call
 * (bitlayer_deposit, bitlayer_forceWithdrawal). Loaded on first use (it pulls in bitcoinjs-lib).
 *
 * @module
 */
import { payments } from "bitcoinjs-lib";
import { BitcoinWalletError } from "../bitcoin/wallet.js";
import type { Settlement } from "../devnet/settlement.js";
import { DevnetError } from "../errors.js";
import { DEPOSIT_MARKER, FORCED_MARKER } from "./scan.js";
import { depositView, forcedView } from "./views.js";

/** Largest raw L2 transaction a forced withdrawal carries (it rides in one standard Bitcoin transaction). */
export const MAX_FORCED_TX_BYTES = 64 * 1024;

function walletRefused(method: string, error: unknown): never {
  if (error instanceof BitcoinWalletError)
    throw new DevnetError("INVALID_PARAMS", `${method}: the dev wallet cannot send it: ${error.message}`);
  throw error;
}

/** Pays `amount` sats to the bridge for `recipient` (lower-case 0x address), then mines until the deposit has its confirmations. */
export async function deposit(settlement: Settlement, recipient: string, amount: bigint) {
  if (/^0x0{40}$/.test(recipient)) throw new DevnetError("INVALID_PARAMS", "bitlayer_deposit: the recipient is the zero address");
  const { engine, wallet } = await settlement.wallet();
  const marker = payments.embed({ data: [Buffer.concat([DEPOSIT_MARKER, Buffer.from(recipient.slice(2), "hex")])] }).output as Uint8Array;
  let txid: string;
  try {
    ({ txid } = wallet.sendToAddress(engine.bridge.payers.bridge.output.script, amount, { extraOutputs: [{ script: marker, value: 0n }] }));
  } catch (error) {
    walletRefused("bitlayer_deposit", error);
  }
  await settlement.mine(engine.bridge.config.depositConfirmations);
  const found = engine.bridge.data.deposits.find((d) => d.txid === txid);
  if (!found) throw new DevnetError("INTERNAL_ERROR", `bitlayer_deposit: deposit ${txid} was not recorded`);
  return depositView(engine, found);
}

/** Posts a raw signed L2 transaction in a `BTLF` output, then mines until it can reach the L2. */
export async function forceWithdrawal(settlement: Settlement, decode: (raw: Uint8Array) => unknown, raw: Uint8Array) {
  if (raw.length > MAX_FORCED_TX_BYTES) {
    throw new DevnetError(
      "INVALID_PARAMS",
      `bitlayer_forceWithdrawal: the transaction is ${raw.length} bytes; at most ${MAX_FORCED_TX_BYTES}`,
    );
  }
  try {
    decode(raw);
  } catch (error) {
    throw new DevnetError("INVALID_PARAMS", `bitlayer_forceWithdrawal: the transaction does not decode: ${(error as Error).message}`);
  }
  const { engine, wallet } = await settlement.wallet();
  const output = payments.embed({ data: [Buffer.concat([FORCED_MARKER, raw])] }).output as Uint8Array;
  let txid: string;
  try {
    ({ txid } = wallet.sendToAddress(output, 0n));
  } catch (error) {
    walletRefused("bitlayer_forceWithdrawal", error);
  }
  await settlement.mine(engine.bridge.config.depositConfirmations);
  const found = engine.bridge.data.forced.find((f) => f.txid === txid);
  if (!found) throw new DevnetError("INTERNAL_ERROR", `bitlayer_forceWithdrawal: forced transaction ${txid} was not recorded`);
  return forcedView(engine, found);
}
