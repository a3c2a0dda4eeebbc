/**
 * Bitcoin Core's wallet RPCs getnewaddress, getbalance, listunspent and sendtoaddress (src/wallet/rpc/*.cpp,
 * v28) over the dev wallet. One wallet is loaded: `/` and `/wallet/<its name>` reach it, any other name
 * answers -18 as Core does for a wallet that is not loaded.
 *
 * @module
 */
import * as z from "zod";
import { type BitcoinWallet, BitcoinWalletError, WALLET_FEE_RATE_PER_KVB } from "../wallet.js";
import { amountFromValue, btc } from "./amount.js";
import { BitcoinRpcError, RpcErrorCode, rpcError } from "./errors.js";
import { mempoolEntryJson } from "./mempool.js";
import { optional, required } from "./params.js";
import { type BitcoinRpcContext, defineBitcoinMethod } from "./registry.js";
import { addressToScript } from "./script.js";
import { parseConfirmTarget, parseEstimateMode } from "./util.js";

/** The wallet a request names (Core's GetWalletForJSONRPCRequest). */
function walletOf(ctx: BitcoinRpcContext): BitcoinWallet {
  const { wallet } = ctx.node;
  if (ctx.walletName !== undefined && ctx.walletName !== wallet.name) {
    throw rpcError("RPC_WALLET_NOT_FOUND", "Requested wallet does not exist or is not loaded");
  }
  return wallet;
}

/** The wallet's refusals with Core's codes: every CreateTransaction failure is -6 in sendtoaddress. */
function walletError(err: unknown): unknown {
  if (!(err instanceof BitcoinWalletError)) return err;
  const code =
    err.kind === "INSUFFICIENT_FUNDS"
      ? RpcErrorCode.RPC_WALLET_INSUFFICIENT_FUNDS
      : err.kind === "KEYPOOL_RAN_OUT"
        ? RpcErrorCode.RPC_WALLET_KEYPOOL_RAN_OUT
        : RpcErrorCode.RPC_WALLET_ERROR;
  return new BitcoinRpcError(code, err.message);
}

export const getnewaddress = defineBitcoinMethod({
  name: "getnewaddress",
  group: "wallet",
  summary:
    "Returns a new Bitcoin address for receiving payments: the next BIP84 receive key (m/84'/1'/0'/0/i), as a bech32 regtest address. Only `bech32` addresses exist in the dev wallet; labels are accepted but not stored (listunspent shows every handed-out address with the label \"\").",
  params: [
    optional.string("label", '""', "The label name for the address to be linked to."),
    optional.string("address_type", "bech32", 'The address type to use. Options are "legacy", "p2sh-segwit", "bech32", and "bech32m".'),
  ],
  returns: "str (the new bitcoin address)",
  errors: [
    "-11 Invalid label name",
    "-5 Unknown address type '…'",
    "-12 Error: No <type> addresses available.",
    "-18 Requested wallet does not exist or is not loaded",
  ],
  handler(ctx, [label, addressType]) {
    const wallet = walletOf(ctx);
    if (label === "*") throw new BitcoinRpcError(-11, "Invalid label name");
    if (addressType !== undefined && addressType !== "bech32") {
      if (!["legacy", "p2sh-segwit", "bech32m"].includes(addressType)) {
        throw rpcError("RPC_INVALID_ADDRESS_OR_KEY", `Unknown address type '${addressType}'`);
      }
      throw rpcError("RPC_WALLET_KEYPOOL_RAN_OUT", `Error: No ${addressType} addresses available.`);
    }
    try {
      return wallet.getNewAddress();
    } catch (err) {
      throw walletError(err);
    }
  },
});

export const getbalance = defineBitcoinMethod({
  name: "getbalance",
  group: "wallet",
  summary:
    "Returns the total available balance: trusted coins with at least `minconf` confirmations (default 0), that is confirmed coins and the wallet's own unconfirmed change, without immature coinbases (under 101 confirmations) or unconfirmed payments from others.",
  params: [
    optional.string("dummy", "", 'Remains for backward compatibility. Must be excluded or set to "*".'),
    optional.int("minconf", "0", "Only include transactions confirmed at least this many times."),
    optional.bool("include_watchonly", "false", "Also include balance in watch-only addresses (the dev wallet has none)"),
    optional.bool("avoid_reuse", "true", "(only with the avoid_reuse wallet flag, which the dev wallet does not set)"),
  ],
  returns: "amount (BTC)",
  errors: ['-32 dummy first argument must be excluded or set to "*".', "-18 Requested wallet does not exist or is not loaded"],
  handler(ctx, [dummy, minconf = 0]) {
    const wallet = walletOf(ctx);
    if (dummy !== undefined && dummy !== "*")
      throw rpcError("RPC_METHOD_DEPRECATED", 'dummy first argument must be excluded or set to "*".');
    return btc(wallet.balance(minconf));
  },
});

const QUERY_KEYS = ["minimumAmount", "maximumAmount", "minimumSumAmount", "maximumCount", "include_immature_coinbase"];

export const listunspent = defineBitcoinMethod({
  name: "listunspent",
  group: "wallet",
  summary:
    "Returns array of unspent transaction outputs with between minconf and maxconf (inclusive) confirmations, optionally only those paid to the given addresses. Ordered by confirmations (most first), then outpoint.",
  params: [
    optional.int("minconf", "1", "The minimum confirmations to filter"),
    optional.int("maxconf", "9999999", "The maximum confirmations to filter"),
    optional.strings("addresses", "[]", "The bitcoin addresses to filter"),
    optional.bool("include_unsafe", "true", "Include outputs that are not safe to spend (unconfirmed, paid by others)"),
    optional.object("query_options", "minimumAmount, maximumAmount, maximumCount, minimumSumAmount, include_immature_coinbase"),
  ],
  returns:
    "[{ txid, vout, address, label, scriptPubKey, amount, confirmations, ancestorcount, ancestorsize, ancestorfees, spendable, solvable, desc, parent_descs, safe }]",
  errors: [
    "-5 Invalid Bitcoin address: …",
    "-8 Invalid parameter, duplicated address: …",
    "-3 Unexpected key …",
    "-18 Requested wallet does not exist or is not loaded",
  ],
  handler(ctx, [minconf = 1, maxconf = 9_999_999, addresses, includeUnsafe = true, query]) {
    const wallet = walletOf(ctx);
    const scripts = addresses?.map((address, i) => {
      const script = addressToScript(address);
      if (!script) throw rpcError("RPC_INVALID_ADDRESS_OR_KEY", `Invalid Bitcoin address: ${address}`);
      if (addresses.indexOf(address) !== i) throw rpcError("RPC_INVALID_PARAMETER", `Invalid parameter, duplicated address: ${address}`);
      return script;
    });
    const options = query ?? {};
    for (const key of Object.keys(options)) if (!QUERY_KEYS.includes(key)) throw rpcError("RPC_TYPE_ERROR", `Unexpected key ${key}`);
    const maximumCount = options.maximumCount === undefined ? undefined : z.number().int().safeParse(options.maximumCount).data;
    if (options.maximumCount !== undefined && maximumCount === undefined)
      throw rpcError("RPC_TYPE_ERROR", "Expected type number for maximumCount, got " + typeof options.maximumCount);
    const immature = options.include_immature_coinbase;
    if (immature !== undefined && typeof immature !== "boolean")
      throw rpcError("RPC_TYPE_ERROR", "Expected type bool for include_immature_coinbase, got " + typeof immature);
    const min = options.minimumAmount === undefined ? 0n : amountFromValue(options.minimumAmount);
    const max = options.maximumAmount === undefined ? undefined : amountFromValue(options.maximumAmount);
    const minSum = options.minimumSumAmount === undefined ? undefined : amountFromValue(options.minimumSumAmount);
    const coins = wallet
      .listUnspent({
        minconf,
        maxconf,
        scripts: scripts && scripts.length > 0 ? scripts : undefined,
        includeUnsafe,
        includeImmatureCoinbase: immature === true,
      })
      .filter((c) => c.value >= min && (max === undefined || c.value <= max));
    const mempool = coins.some((c) => c.confirmations === 0) ? mempoolEntryJson(wallet.chain) : {};
    const out: Record<string, unknown>[] = [];
    let sum = 0n;
    for (const coin of coins) {
      const ancestry = coin.confirmations === 0 ? mempool[coin.txid] : undefined;
      const fees = ancestry?.fees as { ancestor: ReturnType<typeof btc> } | undefined;
      out.push({
        txid: coin.txid,
        vout: coin.vout,
        address: coin.address,
        ...(coin.labelled ? { label: "" } : {}),
        scriptPubKey: Buffer.from(coin.script).toString("hex"),
        amount: btc(coin.value),
        confirmations: coin.confirmations,
        ...(ancestry && fees
          ? { ancestorcount: ancestry.ancestorcount, ancestorsize: ancestry.ancestorsize, ancestorfees: Number(fees.ancestor.sats) }
          : {}),
        spendable: true,
        solvable: true,
        desc: wallet.coinDescriptor(coin.script),
        parent_descs: [wallet.branchDescriptor(coin.branch)],
        safe: coin.safe,
      });
      sum += coin.value;
      if ((maximumCount !== undefined && maximumCount > 0 && out.length >= maximumCount) || (minSum !== undefined && sum >= minSum)) break;
    }
    return out;
  },
});

export const sendtoaddress = defineBitcoinMethod({
  name: "sendtoaddress",
  group: "wallet",
  summary: `Send an amount to a given address: a P2WPKH transaction from the dev wallet's coins (largest first), change to a new internal address (m/84'/1'/0'/1/i), fee rate ${btc(WALLET_FEE_RATE_PER_KVB)} BTC/kvB (regtest's fallbackfee in Core's tests) unless \`fee_rate\` (sat/vB) is given, BIP125 signalled unless \`replaceable\` is false. \`comment\`, \`comment_to\`, \`conf_target\`, \`estimate_mode\` and \`avoid_reuse\` are checked and otherwise ignored.`,
  params: [
    required.string("address", "The bitcoin address to send to."),
    required.amount("amount", "The amount in BTC to send. eg 0.1"),
    optional.string("comment", "", "A comment (not stored by the dev wallet)"),
    optional.string("comment_to", "", "A comment (not stored by the dev wallet)"),
    optional.bool("subtractfeefromamount", "false", "The fee will be deducted from the amount being sent."),
    optional.bool("replaceable", "true", "Signal that this transaction can be replaced by a transaction (BIP 125)"),
    optional.int("conf_target", "6", "Confirmation target in blocks (the simulated estimate is the same for every target)"),
    optional.string("estimate_mode", "unset", 'The fee estimate mode: "unset", "economical" or "conservative"'),
    optional.bool("avoid_reuse", "true", "(only with the avoid_reuse wallet flag, which the dev wallet does not set)"),
    optional.satPerVb("fee_rate", "not set", "Specify a fee rate in sat/vB."),
    optional.bool("verbose", "false", "If true, return extra information about the transaction."),
  ],
  returns: "txid, or { txid, fee_reason } with verbose",
  errors: [
    "-5 Invalid Bitcoin address: …",
    "-3 Invalid amount / Amount out of range",
    "-6 Insufficient funds",
    "-6 Transaction amount too small",
    "-6 The transaction amount is too small to pay the fee",
    "-6 Fee rate (… sat/vB) is lower than the minimum fee rate setting (1.000 sat/vB)",
    "-8 Cannot specify both conf_target and fee_rate. …",
    "-8 Cannot specify both estimate_mode and fee_rate",
    "-18 Requested wallet does not exist or is not loaded",
  ],
  handler(
    ctx,
    [address, amount, _comment, _commentTo, sffo = false, replaceable, confTarget, estimateMode, _avoidReuse, feeRatePerKvB, verbose],
  ) {
    const wallet = walletOf(ctx);
    if (feeRatePerKvB !== undefined) {
      if (confTarget !== undefined) {
        throw rpcError(
          "RPC_INVALID_PARAMETER",
          "Cannot specify both conf_target and fee_rate. Please provide either a confirmation target in blocks for automatic fee estimation, or an explicit fee rate.",
        );
      }
      if (estimateMode !== undefined && estimateMode !== "unset")
        throw rpcError("RPC_INVALID_PARAMETER", "Cannot specify both estimate_mode and fee_rate");
    } else {
      if (estimateMode !== undefined) parseEstimateMode(estimateMode);
      if (confTarget !== undefined) parseConfirmTarget(confTarget);
    }
    const script = addressToScript(address);
    if (!script) throw rpcError("RPC_INVALID_ADDRESS_OR_KEY", `Invalid Bitcoin address: ${address}`);
    try {
      const sent = wallet.sendToAddress(script, amount, {
        subtractFeeFromAmount: sffo,
        feeRatePerKvB,
        replaceable: replaceable ?? (feeRatePerKvB !== undefined ? true : undefined),
      });
      return verbose ? { txid: sent.txid, fee_reason: feeRatePerKvB !== undefined ? "PayTxFee set" : "Fallback fee" } : sent.txid;
    } catch (err) {
      throw walletError(err);
    }
  },
});
