/**
 * Bitcoin Core's getrawtransaction and decoderawtransaction (src/rpc/rawtransaction.cpp, v28). The
 * simulated chain indexes every transaction, so getrawtransaction behaves as Core with -txindex.
 *
 * @module
 */
import { spentOutputs, txToJson } from "./chain-json.js";
import { decodeHexTx } from "./decode.js";
import { rpcError } from "./errors.js";
import { optional, required } from "./params.js";
import { defineBitcoinMethod } from "./registry.js";

/** The genesis coinbase's txid (= the genesis merkle root), which Core refuses to look up. */
const GENESIS_COINBASE_TXID = "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b";

export const getrawtransaction = defineBitcoinMethod({
  name: "getrawtransaction",
  group: "rawtransactions",
  summary:
    "Return the raw transaction data (verbosity 0), or an object (1), or an object with fee and prevouts (2, for a confirmed non-coinbase transaction). Looks in the mempool, then the transaction index (always on), or only in `blockhash` when given.",
  params: [
    required.hash("txid", "parameter 1", "The transaction id"),
    optional.verbosity(
      "verbosity",
      "0",
      "0 for hex-encoded data, 1 for a JSON object, and 2 for JSON object with fee and prevout; also true/false",
    ),
    optional.hash("blockhash", "parameter 3", "The block in which to look for the transaction"),
  ],
  returns:
    "hex, or { in_active_chain, txid, hash, version, size, vsize, weight, locktime, vin, vout, fee, hex, blockhash, confirmations, time, blocktime }",
  errors: [
    "-5 No such mempool or blockchain transaction. Use gettransaction for wallet transactions.",
    "-5 No such transaction found in the provided block. Use gettransaction for wallet transactions.",
    "-5 Block hash not found",
    "-5 The genesis block coinbase is not considered an ordinary transaction and cannot be retrieved",
    "-8 parameter 1 must be of length 64 (not N, for '…')",
  ],
  handler({ node: { chain } }, [txid, verbosity = 0, blockhash]) {
    if (txid === GENESIS_COINBASE_TXID) {
      throw rpcError(
        "RPC_INVALID_ADDRESS_OR_KEY",
        "The genesis block coinbase is not considered an ordinary transaction and cannot be retrieved",
      );
    }
    const blockHeight = blockhash === undefined ? undefined : chain.heightOf(blockhash);
    if (blockhash !== undefined && blockHeight === undefined) throw rpcError("RPC_INVALID_ADDRESS_OR_KEY", "Block hash not found");
    const found = chain.getTransaction(txid);
    const inBlock = blockHeight === undefined || found?.height === blockHeight;
    if (!found || !inBlock) {
      const what =
        blockHeight !== undefined ? "No such transaction found in the provided block" : "No such mempool or blockchain transaction";
      throw rpcError("RPC_INVALID_ADDRESS_OR_KEY", `${what}. Use gettransaction for wallet transactions.`);
    }
    const { tx, height } = found;
    if (verbosity <= 0) return tx.toHex();
    const spent = verbosity >= 2 && height !== undefined ? spentOutputs(chain, tx) : undefined;
    const json: Record<string, unknown> = blockHeight !== undefined ? { in_active_chain: true } : {};
    Object.assign(json, txToJson(tx, { spent, detail: spent ? "details-and-prevout" : "details", includeHex: true }));
    if (height !== undefined) {
      const block = chain.getBlock(height)!;
      json.blockhash = block.getId();
      json.confirmations = chain.height - height + 1;
      json.time = block.timestamp;
      json.blocktime = block.timestamp;
    }
    return json;
  },
});

export const decoderawtransaction = defineBitcoinMethod({
  name: "decoderawtransaction",
  group: "rawtransactions",
  summary: "Return a JSON object representing the serialized, hex-encoded transaction.",
  params: [
    required.hex("hexstring", "The transaction hex string"),
    optional.bool("iswitness", "depends on heuristic tests", "Whether the transaction hex is a serialized witness transaction"),
  ],
  returns: "{ txid, hash, size, vsize, weight, version, locktime, vin, vout }",
  errors: ["-22 TX decode failed"],
  handler(_ctx, [hex]) {
    const tx = decodeHexTx(hex);
    if (!tx) throw rpcError("RPC_DESERIALIZATION_ERROR", "TX decode failed");
    return txToJson(tx);
  },
});
