import assert from "node:assert/strict";
import Client from "bitcoin-core";
import { Block, networks, Psbt, payments, Transaction } from "bitcoinjs-lib";
import { ECPairFactory } from "ecpair";
import * as ecc from "tiny-secp256k1";
import {
  type BitcoinRpcServer,
  bitcoinMethodRegistry,
  bitcoinRpcRequest,
  renderBitcoinRpcReference,
  startBitcoinRpcServer,
} from "../src/bitcoin/rpc/index.js";
import { bitcoinHost } from "./support/bitcoin-host.js";

const ECPair = ECPairFactory(ecc);
const outsider = ECPair.fromPrivateKey(Buffer.alloc(32, 7));
const outsiderPayment = payments.p2wpkh({ pubkey: outsider.publicKey, network: networks.regtest });

interface RpcFailure {
  code: number;
  message: string;
}

/** The error a bitcoin-core client call fails with. */
async function failure(promise: Promise<unknown>): Promise<RpcFailure> {
  try {
    await promise;
  } catch (err) {
    return err as RpcFailure;
  }
  assert.fail("expected the call to fail");
}

/** A P2WPKH spend of the outsider's coin, built and signed with bitcoinjs-lib. */
function outsiderSpend(
  input: { txid: string; vout: number; value: bigint },
  outputs: { script: Uint8Array; value: bigint }[],
  sequence?: number,
): Transaction {
  const psbt = new Psbt({ network: networks.regtest });
  psbt.addInput({ hash: input.txid, index: input.vout, sequence, witnessUtxo: { script: outsiderPayment.output!, value: input.value } });
  for (const o of outputs) psbt.addOutput(o);
  psbt.signAllInputs(outsider);
  psbt.finalizeAllInputs();
  return psbt.extractTransaction();
}

describe("Bitcoin Core-compatible JSON-RPC (real HTTP, bitcoin-core client)", () => {
  let host: ReturnType<typeof bitcoinHost>;
  let server: BitcoinRpcServer;
  let client: Client;
  let walletAddress: string;
  // json-bigint (the client's parser) makes null-prototype objects: compare plain copies.
  const call = async <T = unknown>(method: string, ...params: unknown[]): Promise<T> =>
    JSON.parse(JSON.stringify((await client.command(method, ...params)) ?? null)) as T;

  /** A raw request; `auth` null sends none. */
  async function post(body: unknown, options: { auth?: string | null; path?: string; method?: string } = {}) {
    const headers: Record<string, string> = { "content-type": "application/json" };
    const auth = options.auth === undefined ? "devnet:devnet" : options.auth;
    if (auth !== null) headers.authorization = `Basic ${Buffer.from(auth).toString("base64")}`;
    const res = await fetch(`${server.url}${options.path ?? "/"}`, {
      method: options.method ?? "POST",
      headers,
      body: options.method === "GET" ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, text: await res.text() };
  }

  before(async () => {
    host = bitcoinHost();
    server = await startBitcoinRpcServer(host, { port: 0 });
    client = new Client({ host: server.url, username: "devnet", password: "devnet" });
    walletAddress = await call<string>("getnewaddress");
    await call("generatetoaddress", 101, walletAddress);
  });

  after(() => server.close());

  it("answers getblockchaininfo, getblockcount, getbestblockhash and getblockhash as Core on regtest", async () => {
    const info = await call<Record<string, unknown>>("getblockchaininfo");
    const tip = host.node.chain;
    assert.deepEqual(Object.keys(info), [
      "chain",
      "blocks",
      "headers",
      "bestblockhash",
      "difficulty",
      "time",
      "mediantime",
      "verificationprogress",
      "initialblockdownload",
      "chainwork",
      "size_on_disk",
      "pruned",
      "warnings",
    ]);
    assert.equal(info.chain, "regtest");
    assert.equal(info.blocks, tip.height);
    assert.equal(info.bestblockhash, tip.tipHash);
    // json-bigint hands a 16-digit number back as a string; the raw text is checked below
    assert.equal(Number(info.difficulty), 4.656542373906925e-10);
    assert.equal(info.chainwork, (2 * (tip.height + 1)).toString(16).padStart(64, "0"), "regtest blocks prove 2 units of work each");
    assert.equal(info.initialblockdownload, false);
    assert.equal(info.verificationprogress, 1);
    assert.deepEqual(info.warnings, []);
    assert.equal(await call("getblockcount"), 101);
    assert.equal(await call("getbestblockhash"), tip.tipHash);
    assert.equal(await call("getblockhash", 0), "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206");
    const raw = await post({ id: 1, method: "getblockchaininfo" });
    assert.match(raw.text, /"difficulty":4\.656542373906925e-10,/, "doubles are written as Core writes them");
    assert.equal((await failure(call("getblockhash", 102))).code, -8);
    assert.equal((await failure(call("getblockhash", 102))).message, "Block height out of range");
  });

  it("serves blocks at every verbosity, matching bitcoinjs-lib's parse of the raw block", async () => {
    // a block holding a wallet payment, so that it has a witness commitment and a fee
    await call("sendtoaddress", outsiderPayment.address!, 1);
    const [hash] = await call<string[]>("generatetoaddress", 1, walletAddress);
    const hex = await call<string>("getblock", hash, 0);
    const parsed = Block.fromHex(hex);
    assert.equal(parsed.getId(), hash);
    assert.ok(parsed.checkTxRoots() && parsed.checkProofOfWork());
    assert.equal(await call("getblock", hash, false), hex, "false reads as 0");
    const v1 = await call<Record<string, unknown>>("getblock", hash);
    assert.deepEqual(await call("getblock", hash, true), v1, "true reads as 1");
    assert.equal(v1.hash, hash);
    assert.equal(v1.merkleroot, Buffer.from(parsed.merkleRoot!).reverse().toString("hex"));
    assert.equal(v1.previousblockhash, Buffer.from(parsed.prevHash!).reverse().toString("hex"));
    assert.equal(v1.nonce, parsed.nonce);
    assert.equal(v1.bits, "207fffff");
    assert.equal(v1.time, parsed.timestamp);
    assert.equal(v1.size, parsed.byteLength());
    assert.equal(v1.strippedsize, parsed.byteLength(false, false));
    assert.equal(v1.weight, parsed.weight());
    assert.equal(v1.nTx, 2);
    assert.equal(v1.confirmations, 1);
    assert.deepEqual(
      v1.tx,
      parsed.transactions!.map((t) => t.getId()),
    );
    const v2 = await call<{ tx: Record<string, unknown>[] }>("getblock", hash, 2);
    parsed.transactions!.forEach((t, i) => {
      assert.equal(v2.tx[i].txid, t.getId());
      assert.equal(v2.tx[i].hex, t.toHex());
      assert.equal(v2.tx[i].weight, t.weight());
    });
    assert.equal(v2.tx[0].fee, undefined, "a coinbase has no fee");
    assert.ok(typeof v2.tx[1].fee === "number" && v2.tx[1].fee > 0);
    const coinbaseIn = (v2.tx[0].vin as Record<string, unknown>[])[0];
    assert.equal(coinbaseIn.coinbase, Buffer.from(parsed.transactions![0].ins[0].script).toString("hex"));
    const v3 = await call<{ tx: { vin: { prevout: Record<string, unknown> }[] }[] }>("getblock", hash, 3);
    const prevout = v3.tx[1].vin[0].prevout;
    assert.equal(prevout.generated, true);
    assert.equal(prevout.value, 50);
    assert.equal((prevout.scriptPubKey as { address: string }).address, walletAddress);
    // the header, both ways
    assert.equal(await call("getblockheader", hash, false), parsed.toHex(true));
    const header = await call<Record<string, unknown>>("getblockheader", hash);
    assert.equal(header.merkleroot, v1.merkleroot);
    assert.equal(header.nextblockhash, undefined);
    const previous = await call<Record<string, unknown>>("getblockheader", v1.previousblockhash);
    assert.equal(previous.nextblockhash, hash);
    // the raw text carries amounts with 8 decimals, as Core prints them
    const raw = await post({ id: 1, method: "getblock", params: [hash, 2] });
    assert.match(raw.text, /"value":1\.00000000,"n":/);
  });

  it("refuses unknown block hashes, malformed hashes and verbosities of the wrong type with Core's codes", async () => {
    const notFound = await failure(call("getblock", "00".repeat(32)));
    assert.equal(notFound.code, -5);
    assert.equal(notFound.message, "Block not found");
    const short = await failure(call("getblock", "abc"));
    assert.equal(short.code, -8);
    assert.equal(short.message, "blockhash must be of length 64 (not 3, for 'abc')");
    const notHex = await failure(call("getblockheader", "zz".repeat(32)));
    assert.equal(notHex.message, `hash must be hexadecimal string (not '${"zz".repeat(32)}')`);
    const badVerbosity = await failure(call("getblock", host.node.chain.tipHash, "abc"));
    assert.equal(badVerbosity.code, -3);
    assert.equal(badVerbosity.message, "JSON value of type string is not of expected type number");
    const wrongType = await failure(call("getblockhash", "1"));
    assert.equal(wrongType.code, -3);
    assert.equal(
      wrongType.message,
      'Wrong type passed:\n{\n    "Position 1 (height)": "JSON value of type string is not of expected type number"\n}',
    );
    const missing = await failure(call("getblockhash"));
    assert.equal(missing.code, -1);
    assert.match(missing.message, /^getblockhash height\n/);
  });

  it("sendtoaddress then generatetoaddress: the payment is mined and visible through every read method", async () => {
    const before = await call<number>("getbalance");
    const txid = await call<string>("sendtoaddress", outsiderPayment.address!, 2.5);
    assert.deepEqual(await call("getrawmempool"), [txid]);
    const pending = await call<Record<string, unknown>>("getrawtransaction", txid, true);
    assert.equal(pending.confirmations, undefined);
    const entry = (await call<Record<string, Record<string, unknown>>>("getrawmempool", true))[txid];
    assert.equal(entry.vsize, pending.vsize);
    assert.equal(entry["bip125-replaceable"], true);
    const info = await call<Record<string, unknown>>("getmempoolinfo");
    assert.equal(info.size, 1);
    assert.equal(info.minrelaytxfee, 0.00001);
    const fee = (entry.fees as { base: number }).base;
    const afterSend = await call<number>("getbalance");
    assert.equal(Math.round((before - afterSend) * 1e8), Math.round((2.5 + fee) * 1e8), "change is trusted at once (minconf 0)");
    const [blockHash] = await call<string[]>("generatetoaddress", 1, walletAddress);
    assert.deepEqual(await call("getrawmempool"), []);
    const mined = await call<Record<string, unknown>>("getrawtransaction", txid, 1);
    assert.equal(mined.blockhash, blockHash);
    assert.equal(mined.confirmations, 1);
    assert.equal(await call("getrawtransaction", txid), (mined as { hex: string }).hex);
    const inBlock = await call<Record<string, unknown>>("getrawtransaction", txid, 2, blockHash);
    assert.equal(inBlock.in_active_chain, true);
    assert.equal(inBlock.fee, fee);
    const paid = (mined.vout as { value: number; n: number; scriptPubKey: { address?: string } }[]).find(
      (o) => o.scriptPubKey.address === outsiderPayment.address,
    )!;
    assert.equal(paid.value, 2.5);
    const out = await call<Record<string, unknown>>("gettxout", txid, paid.n);
    assert.equal(out.value, 2.5);
    assert.equal(out.confirmations, 1);
    assert.equal(out.coinbase, false);
    assert.equal(out.bestblock, blockHash);
    assert.equal(await call("gettxout", txid, 99), null);
    assert.deepEqual(await call("decoderawtransaction", (mined as { hex: string }).hex), {
      ...Object.fromEntries(Object.entries(mined).filter(([k]) => !["hex", "blockhash", "confirmations", "time", "blocktime"].includes(k))),
    });
  });

  it("accepts a transaction built and signed with bitcoinjs-lib, refuses its double spend, and mines it", async () => {
    const fundTxid = await call<string>("sendtoaddress", outsiderPayment.address!, 1);
    await call("generatetoaddress", 1, walletAddress);
    const funding = Transaction.fromHex(await call<string>("getrawtransaction", fundTxid));
    const vout = funding.outs.findIndex((o) => Buffer.from(o.script).equals(Buffer.from(outsiderPayment.output!)));
    const input = { txid: fundTxid, vout, value: funding.outs[vout].value };
    const walletScript = payments.p2wpkh({ address: walletAddress, network: networks.regtest }).output!;
    const tx = outsiderSpend(input, [{ script: walletScript, value: input.value - 1_000n }]);
    const [tested] = await call<Record<string, unknown>[]>("testmempoolaccept", [tx.toHex()]);
    assert.equal(tested.allowed, true);
    assert.equal(tested.vsize, tx.virtualSize());
    assert.deepEqual(tested.fees, {
      base: 0.00001,
      "effective-feerate": Number(((1_000n * 1000n) / BigInt(tx.virtualSize())).toString()) / 1e8,
      "effective-includes": [tested.wtxid],
    });
    assert.deepEqual(await call("getrawmempool"), [], "testmempoolaccept changes nothing");
    assert.equal(await call("sendrawtransaction", tx.toHex()), tx.getId());
    assert.equal(
      await call("sendrawtransaction", tx.toHex()),
      tx.getId(),
      "a transaction already in the mempool is answered with its txid",
    );
    const doubleSpend = outsiderSpend(input, [{ script: walletScript, value: input.value - 5_000n }]);
    const conflict = await failure(call("sendrawtransaction", doubleSpend.toHex()));
    assert.deepEqual({ code: conflict.code, message: conflict.message }, { code: -26, message: "txn-mempool-conflict" });
    const [refused] = await call<Record<string, unknown>[]>("testmempoolaccept", [doubleSpend.toHex()]);
    assert.equal(refused.allowed, false);
    assert.equal(refused["reject-reason"], "txn-mempool-conflict");
    const [blockHash] = await call<string[]>("generatetoaddress", 1, walletAddress);
    assert.deepEqual((await call<{ tx: string[] }>("getblock", blockHash)).tx.slice(1), [tx.getId()]);
    const already = await failure(call("sendrawtransaction", tx.toHex()));
    assert.deepEqual({ code: already.code, message: already.message }, { code: -27, message: "Transaction outputs already in utxo set" });
    const spent = await failure(call("sendrawtransaction", doubleSpend.toHex()));
    assert.deepEqual({ code: spent.code, message: spent.message }, { code: -25, message: "bad-txns-inputs-missingorspent" });
    const [missing] = await call<Record<string, unknown>[]>("testmempoolaccept", [doubleSpend.toHex()]);
    assert.equal(missing["reject-reason"], "missing-inputs");
    // maxfeerate: a 1,000 sat fee on ~110 vB is ~9 sat/vB, over 0.00001 BTC/kvB (1 sat/vB)
    const again = await call<string>("sendtoaddress", outsiderPayment.address!, 0.5);
    await call("generatetoaddress", 1, walletAddress);
    const fundedAgain = Transaction.fromHex(await call<string>("getrawtransaction", again));
    const v2 = fundedAgain.outs.findIndex((o) => Buffer.from(o.script).equals(Buffer.from(outsiderPayment.output!)));
    const rich = outsiderSpend({ txid: again, vout: v2, value: fundedAgain.outs[v2].value }, [
      { script: walletScript, value: fundedAgain.outs[v2].value - 1_000n },
    ]);
    const tooRich = await failure(call("sendrawtransaction", rich.toHex(), 0.00001));
    assert.deepEqual(
      { code: tooRich.code, message: tooRich.message },
      { code: -25, message: "Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)" },
    );
    assert.equal(
      (await failure(call("sendrawtransaction", rich.toHex(), 1))).message,
      "Fee rates larger than or equal to 1BTC/kvB are not accepted",
    );
    assert.equal(await call("sendrawtransaction", rich.toHex(), 0), rich.getId());
  });

  it("refuses a premature BIP68 relative-timelocked spend with non-BIP68-final, changing nothing", async () => {
    const fundTxid = await call<string>("sendtoaddress", outsiderPayment.address!, 0.1);
    await call("generatetoaddress", 1, walletAddress);
    const funding = Transaction.fromHex(await call<string>("getrawtransaction", fundTxid));
    const vout = funding.outs.findIndex((o) => Buffer.from(o.script).equals(Buffer.from(outsiderPayment.output!)));
    const locked = outsiderSpend(
      { txid: fundTxid, vout, value: funding.outs[vout].value },
      [{ script: outsiderPayment.output!, value: funding.outs[vout].value - 1_000n }],
      3,
    );
    const height = await call<number>("getblockcount");
    const mempool = await call("getrawmempool");
    const refused = await failure(call("sendrawtransaction", locked.toHex()));
    assert.deepEqual({ code: refused.code, message: refused.message }, { code: -26, message: "non-BIP68-final" });
    assert.equal(await call("getblockcount"), height);
    assert.deepEqual(await call("getrawmempool"), mempool);
    await call("generatetoaddress", 2, walletAddress);
    assert.equal(await call("sendrawtransaction", locked.toHex()), locked.getId(), "3 confirmations later it is final");
  });

  it("answers malformed hex, unknown transactions and the genesis coinbase with Core's codes and messages", async () => {
    const decode = await failure(call("sendrawtransaction", "zz"));
    assert.deepEqual(
      { code: decode.code, message: decode.message },
      { code: -22, message: "TX decode failed. Make sure the tx has at least one input." },
    );
    assert.equal((await failure(call("decoderawtransaction", "00"))).message, "TX decode failed");
    const batchDecode = await failure(call("testmempoolaccept", ["0102"]));
    assert.deepEqual(
      { code: batchDecode.code, message: batchDecode.message },
      { code: -22, message: "TX decode failed: 0102 Make sure the tx has at least one input." },
    );
    assert.equal((await failure(call("testmempoolaccept", []))).message, "Array must contain between 1 and 25 transactions.");
    const unknown = await failure(call("getrawtransaction", "11".repeat(32)));
    assert.deepEqual(
      { code: unknown.code, message: unknown.message },
      { code: -5, message: "No such mempool or blockchain transaction. Use gettransaction for wallet transactions." },
    );
    const notInBlock = await failure(call("getrawtransaction", "11".repeat(32), 1, await call("getblockhash", 1)));
    assert.equal(notInBlock.message, "No such transaction found in the provided block. Use gettransaction for wallet transactions.");
    assert.equal((await failure(call("getrawtransaction", "11".repeat(32), 1, "22".repeat(32)))).message, "Block hash not found");
    const genesis = await failure(call("getrawtransaction", "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b"));
    assert.equal(genesis.message, "The genesis block coinbase is not considered an ordinary transaction and cannot be retrieved");
    assert.equal((await failure(call("getrawtransaction", "11"))).message, "parameter 1 must be of length 64 (not 2, for '11')");
  });

  it("answers invalid addresses, fee targets and unknown wallets as Core, and mines nothing then", async () => {
    const height = await call<number>("getblockcount");
    const mempool = await call("getrawmempool");
    const invalid = await failure(call("generatetoaddress", 1, "not-an-address"));
    assert.deepEqual({ code: invalid.code, message: invalid.message }, { code: -5, message: "Error: Invalid address" });
    const mainnet = await failure(call("generatetoaddress", 1, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"));
    assert.equal(mainnet.code, -5, "a mainnet address is not a regtest address");
    assert.deepEqual(await call("generatetoaddress", -1, walletAddress), []);
    assert.equal((await failure(call("generatetoaddress", 10_001, walletAddress))).code, -8);
    assert.equal(await call("getblockcount"), height);
    const send = await failure(call("sendtoaddress", "nope", 1));
    assert.deepEqual({ code: send.code, message: send.message }, { code: -5, message: "Invalid Bitcoin address: nope" });
    assert.deepEqual(await call("estimatesmartfee", 6), { feerate: 0.0002, blocks: 6 });
    assert.deepEqual(await call("estimatesmartfee", 1), { feerate: 0.0002, blocks: 2 });
    assert.equal((await failure(call("estimatesmartfee", 0))).message, "Invalid conf_target, must be between 1 and 1008");
    assert.equal(
      (await failure(call("estimatesmartfee", 2, "fast"))).message,
      'Invalid estimate_mode parameter, must be one of: "unset", "economical", "conservative"',
    );
    const otherWallet = new Client({ host: server.url, username: "devnet", password: "devnet", wallet: "other" });
    const notLoaded = await failure(otherWallet.command("getbalance"));
    assert.deepEqual(
      { code: notLoaded.code, message: notLoaded.message },
      { code: -18, message: "Requested wallet does not exist or is not loaded" },
    );
    const named = new Client({ host: server.url, username: "devnet", password: "devnet", wallet: "" });
    assert.equal(typeof (await named.command("getbalance")), "number");
    assert.equal(await call("getblockcount"), height);
    assert.deepEqual(await call("getrawmempool"), mempool);
  });

  it("speaks bitcoind's HTTP: 401 with an empty body and the realm, 404/500 for legacy errors, 200 for JSON-RPC 2.0, batches and notifications", async () => {
    const noAuth = await post({ id: 1, method: "getblockcount" }, { auth: null });
    assert.equal(noAuth.status, 401);
    assert.equal(noAuth.text, "");
    assert.equal(noAuth.headers.get("www-authenticate"), 'Basic realm="jsonrpc"');
    const wrong = await post({ id: 1, method: "getblockcount" }, { auth: "devnet:wrong" });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.text, "");
    assert.equal(wrong.headers.get("www-authenticate"), 'Basic realm="jsonrpc"');
    const badClient = new Client({ host: server.url, username: "devnet", password: "nope" });
    assert.equal((await failure(badClient.command("getblockcount"))).code, 401);
    const unknownLegacy = await post({ id: 7, method: "nosuchmethod" });
    assert.equal(unknownLegacy.status, 404);
    assert.deepEqual(JSON.parse(unknownLegacy.text), { result: null, error: { code: -32601, message: "Method not found" }, id: 7 });
    assert.equal((await failure(call("nosuchmethod"))).code, -32601);
    const unknownV2 = await post({ jsonrpc: "2.0", id: 8, method: "nosuchmethod" });
    assert.equal(unknownV2.status, 200);
    assert.deepEqual(JSON.parse(unknownV2.text), { jsonrpc: "2.0", error: { code: -32601, message: "Method not found" }, id: 8 });
    const okV2 = await post({ jsonrpc: "2.0", id: "a", method: "getblockcount" });
    assert.deepEqual(JSON.parse(okV2.text), { jsonrpc: "2.0", result: host.node.chain.height, id: "a" });
    const legacyError = await post({ id: 1, method: "getblock", params: ["00".repeat(32)] });
    assert.equal(legacyError.status, 500);
    assert.deepEqual(JSON.parse(legacyError.text), { result: null, error: { code: -5, message: "Block not found" }, id: 1 });
    const parse = await post("{not json");
    assert.equal(parse.status, 500);
    assert.deepEqual(JSON.parse(parse.text), { result: null, error: { code: -32700, message: "Parse error" }, id: null });
    const invalid = await post({ jsonrpc: "3.0", id: 1, method: "getblockcount" });
    assert.equal(invalid.status, 400);
    assert.equal(JSON.parse(invalid.text).error.message, "JSON-RPC version not supported");
    const notification = await post({ jsonrpc: "2.0", method: "getblockcount" });
    assert.equal(notification.status, 204);
    assert.equal(notification.text, "");
    const batch = await post([
      { id: 1, method: "getblockcount" },
      { jsonrpc: "2.0", id: 2, method: "nosuchmethod" },
      { jsonrpc: "2.0", method: "getblockcount" },
      5,
    ]);
    assert.equal(batch.status, 200);
    assert.deepEqual(JSON.parse(batch.text), [
      { result: host.node.chain.height, error: null, id: 1 },
      { jsonrpc: "2.0", error: { code: -32601, message: "Method not found" }, id: 2 },
      { result: null, error: { code: -32600, message: "Invalid Request object" }, id: null },
    ]);
    const batchViaClient = await client.command<unknown[]>([{ method: "getblockcount" }, { method: "getbestblockhash" }]);
    assert.deepEqual(batchViaClient, [host.node.chain.height, host.node.chain.tipHash]);
    const get = await post(undefined, { method: "GET" });
    assert.equal(get.status, 405);
    assert.equal((await post({ id: 1, method: "getblockcount" }, { path: "/rest/chaininfo.json" })).status, 404);
  });

  it("takes named parameters, and serves the same methods in process with amounts as numbers", async () => {
    const named = await post({ id: 1, method: "getblock", params: { blockhash: host.node.chain.tipHash, verbosity: 0 } });
    assert.equal(JSON.parse(named.text).result, host.node.chain.getBlock(host.node.chain.height)!.toHex());
    const unknownName = await post({ id: 1, method: "getblockcount", params: { nope: 1 } });
    assert.equal(JSON.parse(unknownName.text).error.message, "Unknown named parameter nope");
    const calls = host.calls;
    assert.equal(await bitcoinRpcRequest(host, "getblockcount"), host.node.chain.height);
    assert.equal(host.calls, calls + 1, "in-process calls go through the host's lock too");
    const utxos = (await bitcoinRpcRequest(host, "listunspent")) as { amount: unknown }[];
    assert.ok(utxos.length > 0 && utxos.every((u) => typeof u.amount === "number"));
    await assert.rejects(bitcoinRpcRequest(host, "getblock", ["00".repeat(32)]), { code: -5, message: "Block not found" });
  });

  it("generates its reference from the registry", () => {
    const markdown = renderBitcoinRpcReference(bitcoinMethodRegistry);
    for (const spec of bitcoinMethodRegistry.specs) assert.ok(markdown.includes(`### \`${spec.name}\``), spec.name);
    assert.match(markdown, /-5 Block not found/);
    assert.equal(bitcoinMethodRegistry.specs.length, 19);
  });
});
