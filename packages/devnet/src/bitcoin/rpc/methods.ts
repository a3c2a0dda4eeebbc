/**
 * Every Bitcoin Core RPC method the simulated node serves, in one registry.
 *
 * @module
 */
import { getbestblockhash, getblock, getblockchaininfo, getblockcount, getblockhash, getblockheader, gettxout } from "./blockchain.js";
import { getmempoolinfo, getrawmempool, sendrawtransaction, testmempoolaccept } from "./mempool.js";
import { generatetoaddress } from "./mining.js";
import { decoderawtransaction, getrawtransaction } from "./rawtransactions.js";
import { BitcoinMethodRegistry, type BitcoinMethodSpec } from "./registry.js";
import { estimatesmartfee } from "./util.js";
import { getbalance, getnewaddress, listunspent, sendtoaddress } from "./wallet.js";

/** The methods, in reference order. */
export const bitcoinMethods: readonly BitcoinMethodSpec[] = [
  getbestblockhash,
  getblock,
  getblockchaininfo,
  getblockcount,
  getblockhash,
  getblockheader,
  getmempoolinfo,
  getrawmempool,
  gettxout,
  generatetoaddress,
  decoderawtransaction,
  getrawtransaction,
  sendrawtransaction,
  testmempoolaccept,
  estimatesmartfee,
  getbalance,
  getnewaddress,
  listunspent,
  sendtoaddress,
] as readonly BitcoinMethodSpec[];

/** The registry the server and {@link bitcoinRpcRequest} use. */
export const bitcoinMethodRegistry = new BitcoinMethodRegistry(bitcoinMethods);
