/**
 * Bitcoin Core's blockchain RPCs over the simulated chain (src/rpc/blockchain.cpp, v28).
 *
 * @module
 */
import { prevoutTxid } from "../coins.js";
import { btc, double } from "./amount.js";
import { blockHeaderJson, blockJson, chainwork, difficulty } from "./chain-json.js";
import { rpcError } from "./errors.js";
import { optional, required, uint32 } from "./params.js";
import { defineBitcoinMethod } from "./registry.js";
import { scriptPubKeyJson } from "./script.js";

/** Core's answer for a hash that names no block. */
const blockNotFound = () => rpcError("RPC_INVALID_ADDRESS_OR_KEY", "Block not found");

export const getblockchaininfo = defineBitcoinMethod({
  name: "getblockchaininfo",
  group: "blockchain",
  summary:
    "Returns an object containing various state info regarding blockchain processing. `chain` is always `regtest`; `size_on_disk` counts the blocks as Core's block files store them (8-byte record header + block) without undo data; `verificationprogress` is 1 and `initialblockdownload` false (the node is always synced).",
  params: [],
  returns:
    "{ chain, blocks, headers, bestblockhash, difficulty, time, mediantime, verificationprogress, initialblockdownload, chainwork, size_on_disk, pruned, warnings: [] }",
  handler({ node: { chain } }) {
    const tip = chain.getBlock(chain.height)!;
    let size = 0;
    for (let h = 0; h <= chain.height; h++) size += 8 + chain.getBlock(h)!.byteLength(false, true);
    return {
      chain: "regtest",
      blocks: chain.height,
      headers: chain.height,
      bestblockhash: chain.tipHash,
      difficulty: double(difficulty(tip.bits)),
      time: tip.timestamp,
      mediantime: chain.medianTimePast(),
      verificationprogress: 1,
      initialblockdownload: false,
      chainwork: chainwork(chain, chain.height),
      size_on_disk: size,
      pruned: false,
      warnings: [],
    };
  },
});

export const getblockcount = defineBitcoinMethod({
  name: "getblockcount",
  group: "blockchain",
  summary: "Returns the height of the most-work fully-validated chain. The genesis block has height 0.",
  params: [],
  returns: "n (height of the tip)",
  handler: ({ node }) => node.chain.height,
});

export const getbestblockhash = defineBitcoinMethod({
  name: "getbestblockhash",
  group: "blockchain",
  summary: "Returns the hash of the best (tip) block in the most-work fully-validated chain.",
  params: [],
  returns: "hex (block hash)",
  handler: ({ node }) => node.chain.tipHash,
});

export const getblockhash = defineBitcoinMethod({
  name: "getblockhash",
  group: "blockchain",
  summary: "Returns hash of block in best-block-chain at height provided.",
  params: [required.int("height", "The height index")],
  returns: "hex (block hash)",
  errors: ["-8 Block height out of range"],
  handler({ node: { chain } }, [height]) {
    if (height < 0 || height > chain.height) throw rpcError("RPC_INVALID_PARAMETER", "Block height out of range");
    return chain.getBlock(height)!.getId();
  },
});

export const getblockheader = defineBitcoinMethod({
  name: "getblockheader",
  group: "blockchain",
  summary:
    "If verbose is false, returns a string that is serialized, hex-encoded data for blockheader 'hash'. If verbose is true, returns an Object with information about blockheader <hash>.",
  params: [
    required.hash("blockhash", "hash", "The block hash"),
    optional.bool("verbose", "true", "true for a json object, false for the hex-encoded data"),
  ],
  returns:
    "{ hash, confirmations, height, version, versionHex, merkleroot, time, mediantime, nonce, bits, difficulty, chainwork, nTx, previousblockhash, nextblockhash } or hex",
  errors: ["-5 Block not found", "-8 hash must be of length 64 (not N, for '…')", "-8 hash must be hexadecimal string (not '…')"],
  handler({ node: { chain } }, [hash, verbose]) {
    const height = chain.heightOf(hash);
    if (height === undefined) throw blockNotFound();
    if (verbose === false) return chain.getBlock(height)!.toHex(true);
    return blockHeaderJson(chain, height);
  },
});

export const getblock = defineBitcoinMethod({
  name: "getblock",
  group: "blockchain",
  summary:
    "If verbosity is 0, returns a string that is serialized, hex-encoded data for block 'hash'. If verbosity is 1, returns an Object with information about block <hash>. If verbosity is 2, returns an Object with information about block <hash> and information about each transaction. If verbosity is 3, also the prevout of each input. A boolean is read as Core does (true = 1, false = 0); verbosity above 3 is 3, below 0 is 0.",
  params: [
    required.hash("blockhash", "blockhash", "The block hash"),
    optional.verbosity("verbosity", "1", "0 for hex-encoded data, 1 for a JSON object, 2 with transaction data, 3 with prevouts"),
  ],
  returns: "hex, or { …header fields, strippedsize, size, weight, tx: [txid] | [transaction objects with fee (and prevout)] }",
  errors: [
    "-5 Block not found",
    "-8 blockhash must be of length 64 (not N, for '…')",
    "-3 JSON value of type string is not of expected type number (verbosity)",
  ],
  handler({ node: { chain } }, [hash, verbosity = 1]) {
    const height = chain.heightOf(hash);
    if (height === undefined) throw blockNotFound();
    if (verbosity <= 0) return chain.getBlock(height)!.toHex();
    return blockJson(chain, height, verbosity === 1 ? undefined : verbosity === 2 ? "details" : "details-and-prevout");
  },
});

export const gettxout = defineBitcoinMethod({
  name: "gettxout",
  group: "blockchain",
  summary:
    "Returns details about an unspent transaction output, or null. With include_mempool (default), mempool outputs count (confirmations 0) and outputs a mempool transaction spends do not.",
  params: [
    required.hash("txid", "txid", "The transaction id"),
    { ...required.int("n", "vout number"), schema: uint32 },
    optional.bool("include_mempool", "true", "Whether to include the mempool"),
  ],
  returns: "null, or { bestblock, confirmations, value, scriptPubKey: { asm, desc, hex, address, type }, coinbase }",
  handler({ node: { chain } }, [txid, n, includeMempool = true]) {
    let coin: { value: bigint; script: Uint8Array; height?: number; coinbase: boolean } | undefined = chain.getCoin(txid, n);
    if (includeMempool) {
      const spentInMempool = chain.mempoolEntries().some((e) => e.tx.ins.some((i) => i.index === n && prevoutTxid(i.hash) === txid));
      if (spentInMempool) return null;
      const pending = chain.mempoolEntries().find((e) => e.txid === txid)?.tx.outs[n];
      if (!coin && pending && pending.script[0] !== 0x6a) coin = { value: pending.value, script: pending.script, coinbase: false };
    }
    if (!coin) return null;
    return {
      bestblock: chain.tipHash,
      confirmations: coin.height === undefined ? 0 : chain.height - coin.height + 1,
      value: btc(coin.value),
      scriptPubKey: scriptPubKeyJson(coin.script),
      coinbase: coin.coinbase,
    };
  },
});
