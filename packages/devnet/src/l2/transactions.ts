import { createTx, createTxFromRLP, type TypedTransaction, type TypedTxData } from "@ethereumjs/tx";
import { type Address, bigIntToUnpaddedBytes, createAddressFromString, hexToBytes } from "@ethereumjs/util";
import { DevnetError } from "../errors.js";
import type { L2Chain } from "./chain.js";
import { libOptions, refuseUnavailableTxType } from "./profile.js";

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
  return new DevnetError("UNSUPPORTED_TX_TYPE", "blob transactions (type 3) are not supported by Bitlayer");
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
    return {
      ...base,
      gasPrice: req.gasPrice ?? defaults.baseFee + DEFAULT_PRIORITY_FEE,
      accessList: type === 1 ? (req.accessList ?? []) : undefined,
    } as TypedTxData;
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
  return { ...base, maxFeePerGas: maxFee, maxPriorityFeePerGas: tip, accessList: req.accessList ?? [], authorizationList } as TypedTxData;
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
  const tx = createTxFromRLP(raw, { ...libOptions(chain.common), freeze: false });
  if (tx.type === 3) throw blobTransactionRefused();
  const impersonated = impersonatedSenders(tx);
  let sender: string;
  if (impersonated.length > 0) {
    if (!impersonated.includes(saved)) throw new Error(`its signature stands for ${impersonated[0]}, not ${saved}`);
    sender = saved;
  } else {
    try {
      sender = tx.getSenderAddress().toString();
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
    return key ? createTx(data, libOptions(chain.common)).sign(key) : impersonatedTx(chain, data, createAddressFromString(sender));
  };
  return { build, sender };
}
