import type { Common } from "@ethereumjs/common";
import { createTx, createTxFromRLP, type TypedTransaction, type TypedTxData } from "@ethereumjs/tx";
import { Address, bigIntToUnpaddedBytes, createAddressFromString, hexToBytes } from "@ethereumjs/util";
import { DevnetError, type DevnetErrorCode, RpcErrorNumber } from "../errors.js";
import type { L2Chain } from "./chain.js";
import { addressOfPublicKey, signDigest } from "./crypto.js";
import { type EvmProfile, libOptions, refuseUnavailableTxType } from "./profile.js";

/** A transaction request as wallets send it (eth_sendTransaction, eth_call, eth_estimateGas). */
export interface TxRequest {
  from?: string;
  to?: string | null;
  gas?: bigint;
  gasPrice?: bigint;
  maxFeePerGas?: bigint;
  maxPriorityFeePerGas?: bigint;
  value?: bigint;
  data?: Uint8Array;
  nonce?: bigint;
  accessList?: { address: string; storageKeys: string[] }[];
  /** EIP-7702 authorizations (type 4, prague profile). */
  authorizationList?: AuthorizationItem[];
  type?: number;
  /** Checked against the devnet's chain id, never used to sign. */
  chainId?: bigint;
}

const MAX_UINT64 = 2n ** 64n - 1n;
const MAX_UINT256 = 2n ** 256n - 1n;
/** EIP-3860 (Shanghai): every profile is past it. */
export const MAX_INITCODE_SIZE = 49_152;

/** geth's wording for a type it does not take ("transaction type not supported"), which wallets recognize. */
export function unsupportedTxType(detail: string): DevnetError {
  return new DevnetError("UNSUPPORTED_TX_TYPE", `transaction type not supported: ${detail}`);
}

/** A signed EIP-7702 authorization as JSON-RPC carries it. */
export interface AuthorizationItem {
  chainId: bigint;
  address: string;
  nonce: bigint;
  yParity: bigint;
  r: bigint;
  s: bigint;
}

/** Bitlayer has no blobs: type-3 transactions are refused on every profile. */
export function blobTransactionRefused(): DevnetError {
  return unsupportedTxType("blob transactions (type 3) are not available on Bitlayer");
}

/** geth's message for a sender that cannot pay; the same at admission, at mining and in estimates. */
export function insufficientFunds(sender: string, balance: bigint, cost: bigint): DevnetError {
  return new DevnetError("INSUFFICIENT_FUNDS", `insufficient funds for gas * price + value: ${sender} has ${balance} wei, needs ${cost}`);
}

/** A gas limit below what the transaction costs before it runs; the same at admission and in estimates. */
export function intrinsicGasTooLow(gasLimit: bigint | string, needed: bigint | string): DevnetError {
  return new DevnetError("INTRINSIC_GAS_TOO_LOW", `intrinsic gas too low: gas limit ${gasLimit}, at least ${needed} needed`);
}

/** runTx's words for it ("INTRINSIC_GAS_TOO_LOW: tx gas limit 3 is lower than the minimum gas limit of 21000"). */
export const INTRINSIC_GAS_BELOW = /gas limit (\d+) is lower than the minimum gas limit of (\d+)/;

/** An @ethereumjs error message without the VM/block/transaction dump it appends in parentheses. */
export function libErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/ \((?:vm hf=|block number=|tx type=)[\s\S]*$/, "");
}

/**
 * Checks what the transaction library would refuse with an internal-looking error: numbers
 * past their field's width, a fee that overflows, initcode past EIP-3860's limit.
 */
function checkTxFields(fields: { nonce: bigint; gasLimit: bigint; fee: bigint; value: bigint; to?: unknown; data: Uint8Array }): void {
  const refuse = (message: string) => {
    throw new DevnetError("INVALID_PARAMS", message);
  };
  if (fields.nonce > MAX_UINT64 - 1n) refuse(`nonce ${fields.nonce} is too large: a nonce must be below 2^64 - 1`);
  checkGasFits(fields.gasLimit);
  if (fields.gasLimit * fields.fee > MAX_UINT256) {
    refuse(`gas * price overflows: gas ${fields.gasLimit} times ${fields.fee} wei per gas is past 2^256 - 1`);
  }
  if (fields.value > MAX_UINT256) refuse(`value ${fields.value} is past 2^256 - 1`);
  if (fields.to == null && fields.data.length > MAX_INITCODE_SIZE) {
    refuse(
      `trying to send a deployment transaction whose init code length is ${fields.data.length}: the max length allowed by EIP-3860 is ${MAX_INITCODE_SIZE}`,
    );
  }
}

/** A gas limit must fit in 64 bits (the library refuses it with an internal-looking error). */
export function checkGasFits(gas: bigint): void {
  if (gas > MAX_UINT64) throw new DevnetError("INVALID_PARAMS", `gas ${gas} is too large: a gas limit must fit in 64 bits`);
}

/** "gasLimit" → "gas limit": the library's field names, as a user reads them. */
function fieldName(field: string): string {
  return field.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);
}

/** Library messages and what they mean to a user: the first rule whose pattern matches answers. */
type Rule = [RegExp, (m: RegExpMatchArray) => DevnetError];

function translate(msg: string, rules: Rule[], fallback: () => DevnetError): DevnetError {
  for (const [pattern, build] of rules) {
    const m = msg.match(pattern);
    if (m) return build(m);
  }
  return fallback();
}

const invalidRaw = (detail: string) => new DevnetError("INVALID_PARAMS", `invalid raw transaction: ${detail}`);

/** What a raw transaction's decoding error means, in the words and codes wallets know. */
function rawTxError(error: unknown, common: Common): DevnetError {
  const msg = libErrorMessage(error);
  const short = msg.split(" (")[0];
  return translate(
    msg,
    [
      [
        /TypedTransaction with ID (\d+) unknown/,
        (m) => unsupportedTxType(`type 0x${Number(m[1]).toString(16)} is not a known transaction type`),
      ],
      [
        /chain ?id/i,
        () => new DevnetError("WRONG_CHAIN_ID", `transaction is for another chain: this devnet's chain id is ${common.chainId()}`),
      ],
      [
        /^(\w+) cannot (equal or )?exceed MAX_UINT64/,
        (m) => invalidRaw(`${fieldName(m[1])} must ${m[2] ? "be below 2^64 - 1" : "fit in 64 bits"}`),
      ],
      [/^(\w+) cannot (equal or )?exceed MAX_INTEGER/, (m) => invalidRaw(`${fieldName(m[1])} is past 2^256 - 1`)],
      [/gas ?limit \* \w+ cannot exceed MAX_INTEGER/i, () => invalidRaw("gas * price overflows: the most it can cost is past 2^256 - 1")],
      [
        /initcode size of this transaction is too large: it is (\d+) while the max is (\d+)/,
        (m) => invalidRaw(`a deployment whose init code length is ${m[1]}: the max length allowed by EIP-3860 is ${m[2]}`),
      ],
    ],
    () => invalidRaw(short),
  );
}

/**
 * Decodes a signed transaction (RLP / EIP-2718), unfrozen. A type the profile lacks (blobs
 * everywhere, set-code off prague) is refused by its type byte, before decoding; unknown types too.
 *
 * The result serializes to `raw` itself: the library encodes the fields again on every `serialize` (for its hash,
 * for the block's transactions root), and what it decodes is canonical (the RLP decoder refuses other length forms,
 * the constructors leading zeros), so the encoding is those very bytes (decode-raw.test.ts checks it).
 */
export function decodeRawTx(raw: Uint8Array, common: Common, profile: EvmProfile): TypedTransaction {
  if (raw[0] === 3) throw blobTransactionRefused();
  refuseUnavailableTxType(profile, raw[0]);
  let tx: TypedTransaction;
  try {
    tx = createTxFromRLP(raw, { ...libOptions(common), freeze: false });
  } catch (error) {
    throw rawTxError(error, common);
  }
  Object.defineProperty(tx, "serialize", { value: () => raw });
  return tx;
}

/** @ethereumjs's words for a fee cap under the block's base fee: "(cap) is less than the block's baseFeePerGas (fee)". */
const FEE_BELOW_BASE_FEE = /\((\d+)\) is less than the block's baseFeePerGas \((\d+)\)/;

function feeBelowBaseFee(m: RegExpMatchArray): DevnetError {
  return new DevnetError("FEE_TOO_LOW", `max fee per gas less than block base fee: ${m[1]} < ${m[2]}`);
}

/** A fee cap under the base fee in Anvil's words and code (FEE_TOO_LOW, -32003), if that is what `msg` says. */
export function feeTooLowIn(msg: string): DevnetError | undefined {
  const m = msg.match(FEE_BELOW_BASE_FEE);
  return m ? feeBelowBaseFee(m) : undefined;
}

/**
 * Why a transaction could not run when the block was built (runTx's checks against the state
 * of that moment), in the words and codes of an admission refusal.
 */
export function rejectionAtMining(error: unknown, hash: string): DevnetError {
  if (error instanceof DevnetError) return error;
  const msg = libErrorMessage(error);
  const rejected = (code: DevnetErrorCode, message: string) => new DevnetError(code, message, { rpcCode: RpcErrorNumber.invalidInput });
  return translate(
    msg,
    [
      [
        /cost is: (\d+) and the sender's account \((0x[0-9a-fA-F]+)\) only has: (\d+)/,
        (m) => insufficientFunds(m[2].toLowerCase(), BigInt(m[3]), BigInt(m[1])),
      ],
      [
        /account has nonce of: (\d+) tx has nonce of: (\d+)/,
        (m) =>
          BigInt(m[2]) < BigInt(m[1])
            ? rejected("NONCE_TOO_LOW", `nonce too low: the sender has nonce ${m[1]}, transaction ${hash} has ${m[2]}`)
            : rejected("NONCE_TOO_HIGH", `nonce too high: the sender has nonce ${m[1]}, transaction ${hash} has ${m[2]}`),
      ],
      [FEE_BELOW_BASE_FEE, feeBelowBaseFee],
      [
        /higher gas limit than the block/,
        () => rejected("GAS_LIMIT_TOO_HIGH", `transaction ${hash} has a higher gas limit than the block`),
      ],
      [/not EOA/, () => rejected("INVALID_PARAMS", "sender not an eoa: the sender has code (EIP-3607)")],
    ],
    () => rejected("INVALID_PARAMS", `transaction ${hash} could not be included in a block: ${msg}`),
  );
}

/** Default tip, as Hardhat and Anvil suggest it. */
export const DEFAULT_PRIORITY_FEE = 1_000_000_000n;

/** Chooses the transaction type a request describes. */
export function requestType(req: TxRequest): number {
  if (req.type !== undefined) return req.type;
  if (req.authorizationList) return 4;
  if (req.maxFeePerGas !== undefined || req.maxPriorityFeePerGas !== undefined) return 2;
  if (req.gasPrice !== undefined) return req.accessList ? 1 : 0;
  return 2;
}

export function txData(req: TxRequest, defaults: { nonce: bigint; gas: bigint; baseFee: bigint; chainId: bigint }): TypedTxData {
  const type = requestType(req);
  if (type === 3) throw blobTransactionRefused();
  if (![0, 1, 2, 4].includes(type)) throw unsupportedTxType(`type 0x${type.toString(16)} is not a known transaction type`);
  const base = {
    type,
    nonce: req.nonce ?? defaults.nonce,
    gasLimit: req.gas ?? defaults.gas,
    to: req.to ?? undefined,
    value: req.value ?? 0n,
    data: req.data ?? new Uint8Array(),
    // Legacy transactions carry the chain id in v (EIP-155), typed ones in a field.
    chainId: type === 0 ? undefined : defaults.chainId,
  };
  if (type === 0 || type === 1) {
    const gasPrice = req.gasPrice ?? defaults.baseFee + DEFAULT_PRIORITY_FEE;
    checkTxFields({ ...base, fee: gasPrice });
    return { ...base, gasPrice, accessList: type === 1 ? (req.accessList ?? []) : undefined } as TypedTxData;
  }
  const tip = req.maxPriorityFeePerGas ?? DEFAULT_PRIORITY_FEE;
  const maxFee = req.maxFeePerGas ?? defaults.baseFee * 2n + tip;
  if (tip > maxFee) {
    throw new DevnetError("INVALID_PARAMS", `maxPriorityFeePerGas (${tip}) cannot exceed maxFeePerGas (${maxFee})`);
  }
  const authorizationList =
    type === 4
      ? (req.authorizationList ?? []).map((a) => [
          bigIntToUnpaddedBytes(a.chainId),
          hexToBytes(a.address as `0x${string}`),
          bigIntToUnpaddedBytes(a.nonce),
          bigIntToUnpaddedBytes(a.yParity),
          bigIntToUnpaddedBytes(a.r),
          bigIntToUnpaddedBytes(a.s),
        ])
      : undefined;
  checkTxFields({ ...base, fee: maxFee });
  return { ...base, maxFeePerGas: maxFee, maxPriorityFeePerGas: tip, accessList: req.accessList ?? [], authorizationList } as TypedTxData;
}

/**
 * `unsigned` signed with `key`, as the library's `tx.sign` signs it (EIP-155 for legacy transactions): with the native
 * curve when it loads (~0.1 ms; the library's JavaScript curve takes ~2 ms, the biggest cost of an
 * eth_sendTransaction), with the library otherwise.
 */
export function signTx(unsigned: TypedTransaction, key: Uint8Array): TypedTransaction {
  const sig = signDigest(unsigned.getHashedMessageToSign() as Uint8Array, key);
  return sig ? unsigned.addSignature(BigInt(sig.recovery), sig.r, sig.s, true) : unsigned.sign(key);
}

/**
 * A transaction that runs as `sender` without its key: for impersonated
 * accounts and for calls. The fake signature (r = sender) keeps hashes unique.
 */
export function impersonatedTx(chain: L2Chain, data: TypedTxData, sender: Address): TypedTransaction {
  const senderBig = BigInt(sender.toString());
  const signed = { ...data, v: data.type === 0 ? 27n : 0n, r: senderBig === 0n ? 1n : senderBig, s: 1n } as TypedTxData;
  return withSender(createTx(signed, { ...libOptions(chain.common), freeze: false }), sender);
}

/**
 * The signer of `tx`, recovered as the library's `getSenderAddress` does, with the public key hashed by the devnet's
 * Keccak rather than the library's JavaScript one (~30 µs a transaction at ingress). Throws what recovery throws.
 */
export function recoverSender(tx: TypedTransaction): Address {
  return new Address(addressOfPublicKey(tx.getSenderPublicKey()));
}

/** Makes `tx` report `sender` without recovering it (impersonation, or a sender already recovered). */
export function withSender(tx: TypedTransaction, sender: Address): TypedTransaction {
  Object.defineProperty(tx, "getSenderAddress", { value: () => sender });
  return tx;
}

/**
 * The senders a transaction signed by `impersonatedTx` stands for (r = sender, s = 1, v = 27 or
 * yParity 0; r = 1 is also the zero address), or none when it is not in that exact shape.
 */
export function impersonatedSenders(tx: TypedTransaction): string[] {
  const { r, s, v } = tx;
  if (s !== 1n || v !== (tx.type === 0 ? 27n : 0n) || r === undefined || r === 0n || r >= 1n << 160n) return [];
  const address = `0x${r.toString(16).padStart(40, "0")}`;
  return r === 1n ? [address, `0x${"0".repeat(40)}`] : [address];
}

/**
 * Decodes a transaction saved in a dump (pooled or mined) and derives its sender rather than
 * trusting the saved one: recovered from the signature, or, for the devnet's own impersonated
 * transactions, the sender their fake signature encodes. Throws when `saved` is not that sender.
 * The result reports its sender without recovering it again, and is frozen (hashes cached).
 */
export function decodeSavedTx(chain: L2Chain, raw: Uint8Array, saved: string): TypedTransaction {
  const tx = decodeRawTx(raw, chain.common, chain.config.profile);
  const impersonated = impersonatedSenders(tx);
  let sender: string;
  if (impersonated.length > 0) {
    if (!impersonated.includes(saved)) throw new Error(`its signature stands for ${impersonated[0]}, not ${saved}`);
    sender = saved;
  } else {
    try {
      sender = recoverSender(tx).toString();
    } catch {
      throw new Error("its signature is invalid");
    }
    if (sender !== saved) throw new Error(`it was signed by ${sender}, not ${saved}`);
  }
  Object.freeze(withSender(tx, createAddressFromString(sender)));
  return tx;
}

/**
 * For eth_sendTransaction: checks the sender, estimates gas, and returns a
 * builder that signs (dev key) or impersonates the transaction once it is given
 * its nonce (by `L2Chain.submit`, inside the chain lock).
 */
export async function buildSendTx(
  chain: L2Chain,
  req: TxRequest,
  estimate: (req: TxRequest) => Promise<bigint>,
): Promise<{ build: (pendingNonce: bigint) => TypedTransaction; sender: string }> {
  if (!req.from) throw new DevnetError("INVALID_PARAMS", "missing 'from': eth_sendTransaction needs a sender");
  refuseUnavailableTxType(chain.config.profile, requestType(req));
  if (req.chainId !== undefined && req.chainId !== chain.config.chainId) {
    // Hardhat's wording and code; a wallet would otherwise sign for a chain the user did not ask for.
    throw new DevnetError("WRONG_CHAIN_ID", `Invalid chainId ${req.chainId} provided, expected ${chain.config.chainId} instead.`, {
      rpcCode: RpcErrorNumber.invalidParams,
    });
  }
  const sender = req.from.toLowerCase();
  const key = chain.keys.get(sender);
  if (!key && !chain.impersonated.has(sender)) {
    throw new DevnetError(
      "UNKNOWN_ACCOUNT",
      `unknown account ${req.from}: the devnet holds keys for its dev accounts only (impersonate it with hardhat_impersonateAccount)`,
    );
  }
  const gas = req.gas ?? (await estimate(req));
  const build = (pendingNonce: bigint) => {
    const data = txData(req, { nonce: pendingNonce, gas, baseFee: chain.nextBaseFee(), chainId: chain.config.chainId });
    if (!key) return impersonatedTx(chain, data, createAddressFromString(sender));
    // Signed here with the sender's own key: it need not be recovered from the signature again (frozen after, as
    // the library freezes it, so that its hash is cached).
    const signed = withSender(signTx(createTx(data, { ...libOptions(chain.common), freeze: false }), key), createAddressFromString(sender));
    Object.freeze(signed);
    return signed;
  };
  return { build, sender };
}
