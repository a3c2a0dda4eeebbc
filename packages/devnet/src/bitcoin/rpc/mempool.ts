/**
 * Bitcoin Core's mempool RPCs (src/rpc/mempool.cpp and node/transaction.cpp, v28): submitting and
 * test-accepting raw transactions with Core's error codes, and the mempool's contents.
 *
 * @module
 */
import type { Transaction } from "bitcoinjs-lib";
import { BitcoinChain } from "../chain.js";
import { isUnspendable, prevoutTxid } from "../coins.js";
import { BitcoinTxRejected } from "../errors.js";
import { wtxidOf } from "../ids.js";
import { MIN_RELAY_FEE_PER_KVB } from "../params.js";
import { btc } from "./amount.js";
import { decodeHexTx } from "./decode.js";
import { BitcoinRpcError, RpcErrorCode, rpcError } from "./errors.js";
import { optional, required } from "./params.js";
import { defineBitcoinMethod } from "./registry.js";
import { hasValidOps } from "./script.js";

/** Core's DEFAULT_MAX_RAW_TX_FEE_RATE: 0.10 BTC/kvB. */
export const DEFAULT_MAX_RAW_TX_FEE_RATE_PER_KVB = 10_000_000n;
/** Core's MAX_PACKAGE_COUNT: most transactions testmempoolaccept takes. */
export const MAX_PACKAGE_COUNT = 25;
/** Core's default -maxmempool (300 MB), reported by getmempoolinfo. */
const MAX_MEMPOOL_BYTES = 300_000_000;

/** Core's HandleATMPError + JSONRPCTransactionError: missing inputs -25, every other refusal -26, message `reason, debug`. */
export function rejectionError(err: BitcoinTxRejected): BitcoinRpcError {
  const missing = err.reason === "bad-txns-inputs-missingorspent";
  return new BitcoinRpcError(missing ? RpcErrorCode.RPC_VERIFY_ERROR : RpcErrorCode.RPC_VERIFY_REJECTED, err.message);
}

/** CFeeRate(fee, vsize).GetFee(vsize) for a per-kvB rate: rounded up, as Core. */
function feeAt(perKvB: bigint, vsize: number): bigint {
  return (perKvB * BigInt(vsize) + 999n) / 1000n;
}

/** Core's test for maxburnamount: IsUnspendable (OP_RETURN, or over 10,000 bytes) or !HasValidOps. */
function burns(script: Uint8Array): boolean {
  return isUnspendable(script) || script.length > 10_000 || !hasValidOps(script);
}

export const sendrawtransaction = defineBitcoinMethod({
  name: "sendrawtransaction",
  group: "rawtransactions",
  summary:
    "Submit a raw transaction (serialized, hex-encoded) to the node's mempool. A transaction already in the mempool is answered with its txid again, as Core does.",
  params: [
    required.hex("hexstring", "The hex string of the raw transaction"),
    optional.feeRate(
      "maxfeerate",
      "0.10",
      "Reject transactions whose fee rate is higher than the specified value, expressed in BTC/kvB. Set to 0 to accept any fee rate.",
    ),
    optional.amount(
      "maxburnamount",
      "0.00",
      "Reject transactions with provably unspendable outputs (OP_RETURN) greater than the specified value, in BTC",
    ),
  ],
  returns: "hex (the transaction id)",
  errors: [
    "-22 TX decode failed. Make sure the tx has at least one input.",
    "-25 Unspendable output exceeds maximum configured by user (maxburnamount)",
    "-27 Transaction outputs already in utxo set",
    "-25 bad-txns-inputs-missingorspent (missing or spent inputs)",
    "-26 <reject reason>[, <debug>] (policy or consensus: txn-mempool-conflict, non-BIP68-final, mandatory-script-verify-flag-failed (…), …)",
    "-25 Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)",
  ],
  handler({ node: { chain } }, [hex, maxFeeRate = DEFAULT_MAX_RAW_TX_FEE_RATE_PER_KVB, maxBurn = 0n]) {
    const tx = decodeHexTx(hex);
    if (!tx) throw rpcError("RPC_DESERIALIZATION_ERROR", "TX decode failed. Make sure the tx has at least one input.");
    if (tx.outs.some((out) => burns(out.script) && out.value > maxBurn)) {
      throw rpcError("RPC_VERIFY_ERROR", "Unspendable output exceeds maximum configured by user (maxburnamount)");
    }
    const txid = tx.getId();
    if (tx.outs.some((_out, vout) => chain.getCoin(txid, vout) !== undefined)) {
      throw rpcError("RPC_VERIFY_ALREADY_IN_UTXO_SET", "Transaction outputs already in utxo set");
    }
    if (chain.mempoolEntries().some((e) => e.txid === txid)) return txid;
    try {
      if (maxFeeRate > 0n) {
        const tested = chain.testAccept(tx);
        if (tested.fee > feeAt(maxFeeRate, tested.vsize)) {
          throw rpcError("RPC_VERIFY_ERROR", "Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)");
        }
      }
      return chain.acceptToMempool(tx).txid;
    } catch (err) {
      throw err instanceof BitcoinTxRejected ? rejectionError(err) : err;
    }
  },
});

function acceptanceResult(chain: BitcoinChain, tx: Transaction, maxFeeRate: bigint): { entry: Record<string, unknown>; accepted: boolean } {
  const wtxid = wtxidOf(tx);
  const entry: Record<string, unknown> = { txid: tx.getId(), wtxid };
  try {
    const result = chain.testAccept(tx);
    if (maxFeeRate > 0n && result.fee > feeAt(maxFeeRate, result.vsize)) {
      return { entry: { ...entry, allowed: false, "reject-reason": "max-fee-exceeded" }, accepted: false };
    }
    const fees = {
      base: btc(result.fee),
      "effective-feerate": btc((result.fee * 1000n) / BigInt(result.vsize)),
      "effective-includes": [wtxid],
    };
    return { entry: { ...entry, allowed: true, vsize: result.vsize, fees }, accepted: true };
  } catch (err) {
    if (!(err instanceof BitcoinTxRejected)) throw err;
    const reason = err.reason === "bad-txns-inputs-missingorspent" ? "missing-inputs" : err.reason;
    return { entry: { ...entry, allowed: false, "reject-reason": reason }, accepted: false };
  }
}

export const testmempoolaccept = defineBitcoinMethod({
  name: "testmempoolaccept",
  group: "rawtransactions",
  summary:
    "Returns result of mempool acceptance tests indicating if raw transaction(s) (serialized, hex-encoded) would be accepted by mempool, changing nothing. Several transactions are tested in order as a package (parents first): each one is checked on top of the ones before it; after a refusal the rest are not validated (no `allowed` key), as in Core.",
  params: [
    required.strings("rawtxs", "An array of hex strings of raw transactions"),
    optional.feeRate("maxfeerate", "0.10", "Reject transactions whose fee rate is higher than the specified value, expressed in BTC/kvB"),
  ],
  returns: '[{ txid, wtxid, allowed, vsize, fees: { base, "effective-feerate", "effective-includes" }, "reject-reason" }]',
  errors: ["-8 Array must contain between 1 and 25 transactions.", "-22 TX decode failed: <hex> Make sure the tx has at least one input."],
  handler({ node: { chain } }, [rawtxs, maxFeeRate = DEFAULT_MAX_RAW_TX_FEE_RATE_PER_KVB]) {
    if (rawtxs.length < 1 || rawtxs.length > MAX_PACKAGE_COUNT) {
      throw rpcError("RPC_INVALID_PARAMETER", `Array must contain between 1 and ${MAX_PACKAGE_COUNT} transactions.`);
    }
    const txs = rawtxs.map((hex) => {
      const tx = decodeHexTx(hex);
      if (!tx) throw rpcError("RPC_DESERIALIZATION_ERROR", `TX decode failed: ${hex} Make sure the tx has at least one input.`);
      return tx;
    });
    if (txs.length === 1) return [acceptanceResult(chain, txs[0], maxFeeRate).entry];
    // A package: each transaction is tested on a scratch copy holding the ones before it.
    const scratch = new BitcoinChain();
    scratch.restore(chain.capture());
    const results: Record<string, unknown>[] = [];
    let stopped = false;
    for (const tx of txs) {
      if (stopped) {
        results.push({ txid: tx.getId(), wtxid: wtxidOf(tx) });
        continue;
      }
      const { entry, accepted } = acceptanceResult(scratch, tx, maxFeeRate);
      results.push(entry);
      if (accepted) scratch.acceptToMempool(tx);
      else stopped = true;
    }
    return results;
  },
});

export const getmempoolinfo = defineBitcoinMethod({
  name: "getmempoolinfo",
  group: "blockchain",
  summary:
    "Returns details on the active state of the TX memory pool. `usage` is an estimate (the simulated mempool does not measure its memory); every transaction counts as unbroadcast, as on a node without peers.",
  params: [],
  returns:
    "{ loaded, size, bytes, usage, total_fee, maxmempool, mempoolminfee, minrelaytxfee, incrementalrelayfee, unbroadcastcount, fullrbf }",
  handler({ node: { chain } }) {
    const entries = chain.mempoolEntries();
    return {
      loaded: true,
      size: entries.length,
      bytes: entries.reduce((n, e) => n + e.vsize, 0),
      usage: entries.reduce((n, e) => n + e.tx.byteLength() * 2 + 512, 0),
      total_fee: btc(entries.reduce((n, e) => n + e.fee, 0n)),
      maxmempool: MAX_MEMPOOL_BYTES,
      mempoolminfee: btc(MIN_RELAY_FEE_PER_KVB),
      minrelaytxfee: btc(MIN_RELAY_FEE_PER_KVB),
      incrementalrelayfee: btc(MIN_RELAY_FEE_PER_KVB),
      unbroadcastcount: entries.length,
      fullrbf: true,
    };
  },
});

/** Core's entryToJSON, from the mempool's parent/child links. */
function mempoolEntryJson(chain: BitcoinChain): Record<string, Record<string, unknown>> {
  const entries = chain.mempoolEntries();
  const byId = new Map(entries.map((e) => [e.txid, e]));
  const parents = new Map(
    entries.map((e) => [e.txid, [...new Set(e.tx.ins.map((i) => prevoutTxid(i.hash)).filter((p) => byId.has(p)))].sort()]),
  );
  const children = new Map<string, string[]>(entries.map((e) => [e.txid, []]));
  for (const [child, ps] of parents) for (const p of ps) children.get(p)!.push(child);
  const closure = (start: string, links: Map<string, string[]>) => {
    const seen = new Set<string>([start]);
    const stack = [start];
    for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
      for (const next of links.get(id) ?? []) {
        if (seen.has(next)) continue;
        seen.add(next);
        stack.push(next);
      }
    }
    return [...seen].map((id) => byId.get(id)!);
  };
  const time = chain.getBlock(chain.height)!.timestamp;
  const out: Record<string, Record<string, unknown>> = {};
  for (const e of entries) {
    const ancestors = closure(e.txid, parents);
    const descendants = closure(e.txid, children);
    const signals = (id: string) => byId.get(id)!.tx.ins.some((i) => i.sequence < 0xfffffffe);
    out[e.txid] = {
      vsize: e.vsize,
      weight: e.weight,
      time,
      height: chain.height,
      descendantcount: descendants.length,
      descendantsize: descendants.reduce((n, d) => n + d.vsize, 0),
      ancestorcount: ancestors.length,
      ancestorsize: ancestors.reduce((n, a) => n + a.vsize, 0),
      wtxid: wtxidOf(e.tx),
      fees: {
        base: btc(e.fee),
        modified: btc(e.fee),
        ancestor: btc(ancestors.reduce((n, a) => n + a.fee, 0n)),
        descendant: btc(descendants.reduce((n, d) => n + d.fee, 0n)),
      },
      depends: parents.get(e.txid),
      spentby: children.get(e.txid)!.sort(),
      "bip125-replaceable": ancestors.some((a) => signals(a.txid)),
      unbroadcast: true,
    };
  }
  return out;
}

export const getrawmempool = defineBitcoinMethod({
  name: "getrawmempool",
  group: "blockchain",
  summary:
    "Returns all transaction ids in memory pool as a json array of string transaction ids, or (verbose) an object of entries. The simulated mempool keeps no arrival time or height: `time` is the tip's time and `height` the tip's height.",
  params: [
    optional.bool("verbose", "false", "True for a json object, false for array of transaction ids"),
    optional.bool(
      "mempool_sequence",
      "false",
      "If verbose=false, returns a json object with transaction list and mempool sequence number attached.",
    ),
  ],
  returns:
    "[txid] | { txid: { vsize, weight, time, height, descendantcount, descendantsize, ancestorcount, ancestorsize, wtxid, fees, depends, spentby, bip125-replaceable, unbroadcast } } | { txids, mempool_sequence }",
  errors: ["-8 Verbose results cannot contain mempool sequence values."],
  handler({ node: { chain } }, [verbose = false, withSequence = false]) {
    if (verbose) {
      if (withSequence) throw rpcError("RPC_INVALID_PARAMETER", "Verbose results cannot contain mempool sequence values.");
      return mempoolEntryJson(chain);
    }
    const txids = chain.mempoolEntries().map((e) => e.txid);
    return withSequence ? { txids, mempool_sequence: txids.length } : txids;
  },
});

export { mempoolEntryJson };
