// Peg-in on a devnet, as a user's tooling drives it: Bitcoin transactions built and signed with
// bitcoinjs-lib and sent through the Bitcoin RPC (the bitcoin-core client over HTTP, or the devnet's
// in-process Bitcoin requests), the L2 read with ethers over HTTP or in process. Minted at the deposit
// depth, not one block earlier; malformed markers rejected and counted as unmintable; the light client's
// headers and a contract checking a transaction's inclusion with a proof built from the Bitcoin RPC's
// data; bitlayer_deposit and its refusals; another deposit depth; snapshot and revert across a mint.

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import Client from "bitcoin-core";
import { address as baddress, payments, Transaction } from "bitcoinjs-lib";
import {
  dataSlice,
  Transaction as EthTransaction,
  getAddress,
  Interface,
  id,
  JsonRpcProvider,
  type Log,
  Network,
  toQuantity,
  ZeroAddress,
} from "ethers";
import {
  BITCOIN_BRIDGE,
  BITCOIN_LIGHT_CLIENT,
  type BitcoinRpcServer,
  createDevnet,
  type Devnet,
  type DevnetServer,
  PREMINE_BLOCKS,
  SYSTEM_ADDRESS,
  startBitcoinServer,
  startServer,
} from "../src/index.js";
import { ECPair, spendP2wpkh } from "./support/bitcoin.js";
import type { AccountingView as Accounting, BridgeInfo, DepositView } from "./support/bridge-user.js";
import { bitcoinRpc, GENESIS_TIMESTAMP, hex, jsonRpc, regtest, sats } from "./support/claims.js";
import { type Chains, chainsFixture, refused } from "./support/settlement.js";
import { getContract } from "./support/solc.js";

const WEI_PER_SAT = 10n ** 10n;
const bridgeAbi = new Interface(BITCOIN_BRIDGE.abi);
const lightClientAbi = new Interface(BITCOIN_LIGHT_CLIENT.abi);

/** A key only this test holds: the dev wallet funds it with sendtoaddress, bitcoinjs-lib spends it. */
const holder = ECPair.fromPrivateKey(Buffer.alloc(32, 0x31));
const holderPayment = payments.p2wpkh({ pubkey: holder.publicKey, network: regtest });
/** Where generatetoaddress pays: outside the dev wallet, so mining leaves the wallet's coins alone. */
const minerAddress = payments.p2wpkh({ pubkey: ECPair.fromPrivateKey(Buffer.alloc(32, 0x32)).publicKey, network: regtest }).address!;

/** The Bitcoin RPC: the bitcoin-core client over HTTP, or a devnet's in-process Bitcoin requests. */
type Btc = <T>(method: string, ...params: unknown[]) => Promise<T>;

function inProcessBitcoin(devnet: Devnet): Btc {
  return async <T>(method: string, ...params: unknown[]) =>
    JSON.parse(JSON.stringify((await devnet.bitcoinRequest(method, params)) ?? null)) as T;
}

/** A fresh L2 address, the same on every run. */
const freshAddress = (label: string) => getAddress(dataSlice(id(`bridge-pegin/${label}`), 12));

/** OP_RETURN data of a peg-in: ASCII `BTL` then the recipient's bytes (20 for a well-formed one). */
const btl = (bytes: Uint8Array | string) =>
  Buffer.concat([Buffer.from("BTL", "ascii"), typeof bytes === "string" ? Buffer.from(bytes.slice(2), "hex") : Buffer.from(bytes)]);

interface Coin {
  txid: string;
  vout: number;
  value: bigint;
}

/** Sends `value` sats from the dev wallet to the holder (in the mempool until a block is mined): the holder's coin. */
async function fund(btc: Btc, value: bigint): Promise<Coin> {
  const txid = await btc<string>("sendtoaddress", holderPayment.address!, Number(value) / 1e8);
  const tx = Transaction.fromHex(await btc<string>("getrawtransaction", txid));
  const vout = tx.outs.findIndex((o) => hex(o.script) === hex(holderPayment.output!));
  assert.equal(tx.outs[vout].value, value);
  return { txid, vout, value };
}

const PEG_IN_FEE = 2_000n;

/**
 * A peg-in signed by the holder: `amount` to the bridge's output script (output 0), one OP_RETURN output
 * (payments.embed) per entry of `markers`, the change back to the holder.
 */
function pegIn(coin: Coin, bridgeScript: Uint8Array, amount: bigint, markers: Buffer[]): Transaction {
  const outputs = [
    { script: bridgeScript, value: amount },
    ...markers.map((data) => ({ script: payments.embed({ data: [data] }).output!, value: 0n })),
    { script: holderPayment.output!, value: coin.value - amount - PEG_IN_FEE },
  ];
  return spendP2wpkh(holder, [{ ...coin, script: holderPayment.output! }], outputs);
}

interface RpcReceipt {
  status: string;
  from: string;
  to: string;
  blockNumber: string;
  logs: { address: string; topics: string[]; data: string }[];
}

/** Decodes the DepositMinted events of `logs` that the bridge emitted (and asserts no other contract emitted one). */
function depositMinted(logs: readonly { address: string; topics: readonly string[]; data: string }[]) {
  const event = bridgeAbi.getEvent("DepositMinted")!;
  const minted = logs.filter((l) => l.topics[0] === event.topicHash);
  for (const l of minted) assert.equal(getAddress(l.address), getAddress(BITCOIN_BRIDGE.address), "DepositMinted comes from the bridge");
  return minted.map((l) => {
    const parsed = bridgeAbi.parseLog({ topics: [...l.topics], data: l.data })!;
    return {
      btcTxid: parsed.args.btcTxid as string,
      vout: Number(parsed.args.vout),
      recipient: parsed.args.recipient as string,
      amountSats: parsed.args.amountSats as bigint,
    };
  });
}

/** The merkle branch (display order, leaves up) of the transaction at `index`, and the root it gives. */
function merkleBranch(txids: readonly string[], index: number): { proof: string[]; root: string } {
  const sha256d = (b: Buffer) => createHash("sha256").update(createHash("sha256").update(b).digest()).digest();
  const display = (b: Buffer) => Buffer.from(b).reverse().toString("hex");
  let level: Buffer[] = txids.map((t) => Buffer.from(t, "hex").reverse());
  let i = index;
  const proof: string[] = [];
  while (level.length > 1) {
    if (level.length % 2 === 1) level.push(level[level.length - 1]);
    proof.push(`0x${display(level[i ^ 1])}`);
    const next: Buffer[] = [];
    for (let k = 0; k < level.length; k += 2) next.push(sha256d(Buffer.concat([level[k], level[k + 1]])));
    level = next;
    i >>= 1;
  }
  return { proof, root: display(level[0]) };
}

describe("bridge: peg-in", () => {
  // ---------------------------------------------------------------------------------------------------
  describe("over HTTP: bitcoin-core client for Bitcoin, ethers JsonRpcProvider for the L2", () => {
    let devnet: Devnet;
    let bitcoinServer: BitcoinRpcServer;
    let l2Server: DevnetServer;
    let btc: Btc;
    let provider: JsonRpcProvider;

    before(async () => {
      devnet = await createDevnet({ genesisTimestamp: GENESIS_TIMESTAMP });
      bitcoinServer = await startBitcoinServer(devnet, { host: "127.0.0.1", port: 0 });
      l2Server = await startServer(devnet, { host: "127.0.0.1", port: 0 });
      btc = bitcoinRpc(new Client({ host: bitcoinServer.url, username: "devnet", password: "devnet" }));
      provider = new JsonRpcProvider(l2Server.url, Network.from(devnet.chainId), { staticNetwork: true, cacheTimeout: -1 });
    });

    after(async () => {
      provider?.destroy();
      await bitcoinServer?.close();
      await l2Server?.close();
      await devnet?.close();
    });

    const totalMinted = async () =>
      BigInt(await provider.call({ to: BITCOIN_BRIDGE.address, data: bridgeAbi.encodeFunctionData("totalMintedSats") }));

    it("a bitcoinjs-signed peg-in is not minted at 5 confirmations; at the 6th, amount × 1e10 wei by a system transaction with DepositMinted", async () => {
      const info = await provider.send("bitlayer_bridgeInfo", []);
      assert.equal(info.depositConfirmations, 6);
      assert.equal(getAddress(info.bridge), getAddress(BITCOIN_BRIDGE.address));
      assert.equal(getAddress(info.systemAccount), getAddress(SYSTEM_ADDRESS));
      const bridgeScript = baddress.toOutputScript(info.bitcoinAddress, regtest);
      assert.deepEqual([bridgeScript.length, bridgeScript[0], bridgeScript[1]], [34, 0x51, 0x20], "a Taproot output");

      const recipient = freshAddress("http");
      assert.equal(await provider.getBalance(recipient), 0n);
      assert.equal(await provider.getTransactionCount(recipient), 0);
      const coin = await fund(btc, 50_000_000n);
      await btc("generatetoaddress", 1, minerAddress);
      const amount = 12_345_678n;
      const tx = pegIn(coin, bridgeScript, amount, [btl(recipient)]);
      const txid = tx.getId();
      assert.equal(await btc("sendrawtransaction", tx.toHex()), txid);
      assert.ok((await btc<string[]>("getrawmempool")).includes(txid));
      assert.equal(await provider.send("bitlayer_getDeposit", [txid]), null, "not mined: no deposit yet");

      const accounting0: Accounting = await provider.send("bitlayer_bridgeAccounting", []);
      const minted0 = await totalMinted();
      const bridgeBalance0 = await provider.getBalance(BITCOIN_BRIDGE.address);
      const l2Block0 = await provider.getBlockNumber();
      let height = 0;
      for (let k = 1; k <= 5; k++) {
        const [hash] = await btc<string[]>("generatetoaddress", 1, minerAddress);
        if (k === 1) {
          assert.ok((await btc<{ tx: string[] }>("getblock", hash)).tx.includes(txid), "mined in the first block");
          height = (await btc<{ height: number }>("getblockheader", hash)).height;
        }
        const deposit: DepositView = await provider.send("bitlayer_getDeposit", [txid]);
        assert.deepEqual(
          deposit,
          {
            txid,
            vout: 0,
            amountSats: Number(amount),
            amountWei: toQuantity(amount * WEI_PER_SAT),
            recipient: getAddress(recipient), // checksummed, as bitlayer_bridgeInfo's addresses
            status: "pending",
            height,
            confirmations: k,
            mint: null,
            problem: null,
          },
          `after ${k} confirmation(s)`,
        );
        assert.equal(await provider.getBalance(recipient), 0n, `nothing minted after ${k} confirmation(s)`);
        assert.equal(await totalMinted(), minted0);
        assert.equal(await provider.getBalance(BITCOIN_BRIDGE.address), bridgeBalance0);
        assert.equal(await provider.getBlockNumber(), l2Block0, "no L2 block yet");
        const accounting: Accounting = await provider.send("bitlayer_bridgeAccounting", []);
        assert.equal(accounting.bitcoin.awaitingMintSats, accounting0.bitcoin.awaitingMintSats + Number(amount));
        assert.equal(accounting.bitcoin.lockedSats, accounting0.bitcoin.lockedSats + Number(amount));
        assert.deepEqual([accounting.bitcoin.holds, accounting.l2.holds], [true, true]);
      }

      const [sixth] = await btc<string[]>("generatetoaddress", 1, minerAddress);
      assert.equal((await btc<{ height: number }>("getblockheader", sixth)).height, height + 5);
      assert.equal(await provider.getBalance(recipient), amount * WEI_PER_SAT, "exactly amount × 1e10 wei");
      const deposit: DepositView = await provider.send("bitlayer_getDeposit", [txid, 0]);
      assert.equal(deposit.status, "minted");
      assert.equal(deposit.confirmations, 6);
      assert.equal(deposit.problem, null);
      assert.ok(deposit.mint, "the mint is shown");
      assert.equal(Number(deposit.mint.blockNumber), l2Block0 + 1, "minted in the L2 block that follows the 6th confirmation");
      assert.equal(await provider.getBlockNumber(), l2Block0 + 1);

      const mintTx = await provider.getTransaction(deposit.mint.transactionHash);
      assert.ok(mintTx);
      assert.equal(getAddress(mintTx.from), getAddress(SYSTEM_ADDRESS), "sent by the system account");
      // Really signed by the system account's key: the signature recovers its address.
      const signed = EthTransaction.from({
        type: 0,
        nonce: mintTx.nonce,
        gasPrice: mintTx.gasPrice,
        gasLimit: mintTx.gasLimit,
        to: mintTx.to,
        data: mintTx.data,
        value: mintTx.value,
        chainId: mintTx.chainId,
        signature: mintTx.signature,
      });
      assert.equal(signed.from, getAddress(SYSTEM_ADDRESS));
      assert.equal(signed.hash, mintTx.hash);
      assert.equal(getAddress(mintTx.to!), getAddress(BITCOIN_BRIDGE.address), "to the bridge");
      assert.equal(mintTx.value, 0n);
      assert.equal(mintTx.blockNumber, l2Block0 + 1);
      const call = bridgeAbi.parseTransaction({ data: mintTx.data });
      assert.equal(call?.name, "mint");
      const block = await provider.getBlock(l2Block0 + 1);
      assert.ok(block?.transactions.includes(deposit.mint.transactionHash));
      const receipt = await provider.getTransactionReceipt(deposit.mint.transactionHash);
      assert.ok(receipt);
      assert.equal(receipt.status, 1);
      assert.deepEqual(depositMinted(receipt.logs), [{ btcTxid: `0x${txid}`, vout: 0, recipient, amountSats: amount }]);

      assert.equal(await totalMinted(), minted0 + amount);
      assert.equal(await provider.getBalance(BITCOIN_BRIDGE.address), bridgeBalance0 - amount * WEI_PER_SAT, "paid out of the reserve");
      const isMinted = await provider.call({
        to: BITCOIN_BRIDGE.address,
        data: bridgeAbi.encodeFunctionData("isMinted", [`0x${txid}`, 0]),
      });
      assert.equal(BigInt(isMinted), 1n);
      const accounting: Accounting = await provider.send("bitlayer_bridgeAccounting", []);
      assert.equal(accounting.bitcoin.mintedSats, accounting0.bitcoin.mintedSats + Number(amount));
      assert.equal(accounting.bitcoin.awaitingMintSats, accounting0.bitcoin.awaitingMintSats);
      assert.equal(accounting.l2.mintedSats, accounting0.l2.mintedSats + Number(amount));
      assert.deepEqual([accounting.bitcoin.holds, accounting.l2.holds], [true, true]);

      // More blocks on both chains: minted once, never again.
      await btc("generatetoaddress", 3, minerAddress);
      await provider.send("evm_mine", []);
      assert.equal(await provider.getBalance(recipient), amount * WEI_PER_SAT);
      const logs: Log[] = await provider.getLogs({
        address: BITCOIN_BRIDGE.address,
        topics: [bridgeAbi.getEvent("DepositMinted")!.topicHash, `0x${txid}`],
        fromBlock: 0,
        toBlock: "latest",
      });
      assert.equal(depositMinted(logs).length, 1, "one DepositMinted for the deposit");
      assert.deepEqual(await provider.send("bitlayer_getDeposit", [txid]), { ...deposit, confirmations: 9 });
    });

    it("bitlayer_deposit over HTTP: the zero address is refused with -32602 and a clear message", async () => {
      const height = await btc<number>("getblockcount");
      await assert.rejects(jsonRpc(l2Server.url, "bitlayer_deposit", [ZeroAddress, 100_000]), (error: Error & { code: number }) => {
        assert.equal(error.code, -32602);
        assert.match(error.message, /zero address/);
        return true;
      });
      assert.equal(await btc<number>("getblockcount"), height);
      assert.deepEqual(await btc("getrawmempool"), []);
    });
  });

  // ---------------------------------------------------------------------------------------------------
  describe("in process", () => {
    const { start } = chainsFixture("bridge-pegin-");

    async function bridgeScriptOf(chains: Chains): Promise<Uint8Array> {
      const info = await chains.rpc<BridgeInfo>("bitlayer_bridgeInfo");
      return baddress.toOutputScript(info.bitcoinAddress, regtest);
    }

    it("malformed peg-ins (no OP_RETURN, BTL + 19 or 21 bytes, the zero address, two markers) are rejected, never minted, counted unmintable", async () => {
      const chains = await start();
      const btc = inProcessBitcoin(chains.devnet);
      const rpc = <T>(m: string, p: unknown[] = []) => chains.rpc<T>(m, p);
      const bridgeScript = await bridgeScriptOf(chains);
      const [r19, r21, rA, rB, good] = ["19", "21", "two-a", "two-b", "good"].map(freshAddress);
      const cases: { name: string; amount: bigint; markers: Buffer[]; problem: RegExp; watch: string[] }[] = [
        { name: "no OP_RETURN", amount: 200_001n, markers: [], problem: /no BTL marker/, watch: [] },
        {
          name: "BTL + 19 bytes",
          amount: 200_002n,
          markers: [btl(Buffer.from(r19.slice(2, 40), "hex"))],
          problem: /bad recipient: .*19 bytes after BTL, not 20/,
          watch: [r19],
        },
        {
          name: "BTL + 21 bytes",
          amount: 200_003n,
          markers: [btl(Buffer.concat([Buffer.from(r21.slice(2), "hex"), Buffer.from([0x07])]))],
          problem: /bad recipient: .*21 bytes after BTL, not 20/,
          watch: [r21],
        },
        {
          name: "BTL + the zero address",
          amount: 200_004n,
          markers: [btl(ZeroAddress)],
          problem: /bad recipient: the zero address/,
          watch: [ZeroAddress],
        },
        { name: "two BTL markers", amount: 200_005n, markers: [btl(rA), btl(rB)], problem: /2 BTL markers/, watch: [rA, rB] },
      ];
      const watched = [...new Set([...cases.flatMap((c) => c.watch), ...chains.devnet.accounts.map((a) => a.address)])];
      const balances = async () => Promise.all(watched.map((a) => rpc<string>("eth_getBalance", [a, "latest"])));
      const totalMinted = async () =>
        BigInt(
          await rpc<string>("eth_call", [{ to: BITCOIN_BRIDGE.address, data: bridgeAbi.encodeFunctionData("totalMintedSats") }, "latest"]),
        );

      const coins: Coin[] = [];
      for (let i = 0; i <= cases.length; i++) coins.push(await fund(btc, 10_000_000n));
      await btc("generatetoaddress", 1, minerAddress);
      const balances0 = await balances();
      const minted0 = await totalMinted();
      const accounting0 = await rpc<Accounting>("bitlayer_bridgeAccounting");
      const txids: string[] = [];
      for (const [i, c] of cases.entries()) {
        const tx = pegIn(coins[i], bridgeScript, c.amount, c.markers);
        assert.equal(await btc("sendrawtransaction", tx.toHex()), tx.getId(), `${c.name}: accepted by the mempool`);
        txids.push(tx.getId());
      }
      // A well-formed peg-in in the same blocks: the bridge does mint, only not the malformed ones.
      const goodAmount = 300_000n;
      const goodTx = pegIn(coins[cases.length], bridgeScript, goodAmount, [btl(good)]);
      await btc("sendrawtransaction", goodTx.toHex());
      const [first] = await btc<string[]>("generatetoaddress", 1, minerAddress);
      const mined = (await btc<{ tx: string[] }>("getblock", first)).tx;
      for (const txid of [...txids, goodTx.getId()]) assert.ok(mined.includes(txid));
      await btc("generatetoaddress", 6, minerAddress);
      await rpc("evm_mine");

      assert.equal(await rpc<string>("eth_getBalance", [good, "latest"]), toQuantity(goodAmount * WEI_PER_SAT), "the good one is minted");
      assert.deepEqual(await balances(), balances0, "no balance changed");
      assert.equal(await totalMinted(), minted0 + goodAmount, "totalMintedSats counts only the good one");
      for (const [i, c] of cases.entries()) {
        const deposit = await rpc<DepositView>("bitlayer_getDeposit", [txids[i]]);
        assert.ok(deposit, c.name);
        assert.deepEqual(
          { ...deposit, problem: undefined },
          {
            txid: txids[i],
            vout: 0,
            amountSats: Number(c.amount),
            amountWei: toQuantity(c.amount * WEI_PER_SAT),
            recipient: null,
            status: "rejected",
            height: deposit.height,
            confirmations: 7,
            mint: null,
            problem: undefined,
          },
          c.name,
        );
        assert.match(deposit.problem ?? "", c.problem, c.name);
      }
      const unmintable = cases.reduce((sum, c) => sum + Number(c.amount), 0);
      const accounting = await rpc<Accounting>("bitlayer_bridgeAccounting");
      assert.equal(accounting.bitcoin.unmintableSats, accounting0.bitcoin.unmintableSats + unmintable);
      assert.equal(accounting.bitcoin.mintedSats, accounting0.bitcoin.mintedSats + Number(goodAmount));
      assert.equal(accounting.bitcoin.awaitingMintSats, accounting0.bitcoin.awaitingMintSats);
      assert.equal(accounting.bitcoin.lockedSats, accounting0.bitcoin.lockedSats + unmintable + Number(goodAmount));
      assert.equal(accounting.l2.mintedSats, accounting0.l2.mintedSats + Number(goodAmount));
      assert.deepEqual([accounting.bitcoin.holds, accounting.l2.holds], [true, true]);
      // No DepositMinted names a malformed one.
      const logs = await rpc<RpcReceipt["logs"]>("eth_getLogs", [{ address: BITCOIN_BRIDGE.address, fromBlock: "0x0", toBlock: "latest" }]);
      assert.deepEqual(
        depositMinted(logs).map((e) => e.btcTxid),
        [`0x${goodTx.getId()}`],
      );
    });

    it("the light client holds the headers 6 confirmations deep, and a contract verifies a transaction's inclusion through it", async () => {
      const chains = await start();
      const btc = inProcessBitcoin(chains.devnet);
      const rpc = <T>(m: string, p: unknown[] = []) => chains.rpc<T>(m, p);
      const from = chains.address(0);
      const view = async (fn: string, args: unknown[] = []) =>
        lightClientAbi.decodeFunctionResult(
          fn,
          await rpc<string>("eth_call", [
            { to: BITCOIN_LIGHT_CLIENT.address, data: lightClientAbi.encodeFunctionData(fn, args) },
            "latest",
          ]),
        )[0];

      // The checker, deployed before any Bitcoin block after genesis: the light client holds nothing yet.
      const artifact = getContract("InclusionChecker");
      const checkerAbi = new Interface(artifact.abi as never);
      const deployData = artifact.bytecode + checkerAbi.encodeDeploy([BITCOIN_LIGHT_CLIENT.address]).slice(2);
      const deployHash = await rpc<string>("eth_sendTransaction", [{ from, data: deployData }]);
      const deployReceipt = await rpc<RpcReceipt & { contractAddress: string }>("eth_getTransactionReceipt", [deployHash]);
      assert.equal(deployReceipt.status, "0x1");
      const checker = deployReceipt.contractAddress;
      const checkerCall = async (fn: string, args: unknown[] = []) =>
        checkerAbi.decodeFunctionResult(
          fn,
          await rpc<string>("eth_call", [{ to: checker, data: checkerAbi.encodeFunctionData(fn, args) }, "latest"]),
        )[0];

      // A block of 5 transactions: the coinbase and 4 wallet payments (an odd count: Bitcoin pads the levels).
      await btc("generatetoaddress", 2, minerAddress);
      for (let i = 0; i < 4; i++) await btc("sendtoaddress", await btc<string>("getnewaddress"), 0.01 * (i + 1));
      const [blockHash] = await btc<string[]>("generatetoaddress", 1, minerAddress);
      const block = await btc<{ height: number; tx: string[]; merkleroot: string }>("getblock", blockHash, 1);
      assert.equal(block.tx.length, 5, "the coinbase and the 4 payments");
      const header = `0x${await btc<string>("getblockheader", blockHash, false)}`;
      assert.equal(header.length, 2 + 160);
      for (let i = 0; i < block.tx.length; i++)
        assert.equal(merkleBranch(block.tx, i).root, block.merkleroot, "the test's merkle tree is Bitcoin's");
      await btc("generatetoaddress", 5, minerAddress);

      // Without an L2 block, the light client has not moved; the next L2 block brings it to the tip − 5.
      const tip = await btc<number>("getblockcount");
      await refused(view("latestHeight"), "EXECUTION_REVERTED", 3, /no header yet/);
      await rpc("evm_mine");
      assert.equal(await btc<number>("getblockcount"), tip);
      assert.equal(Number(await view("latestHeight")), tip - 5, "6 confirmations");
      assert.equal(block.height, tip - 5, "the block with 5 transactions is the newest the light client holds");
      assert.equal((await rpc<BridgeInfo>("bitlayer_bridgeInfo")).lightClientHeight, tip - 5);
      // Its checkpoint: the first Bitcoin block after the devnet's genesis (the premine is not fed).
      assert.equal(Number(await view("firstHeight")), PREMINE_BLOCKS + 1);
      await refused(view("blockHash", [PREMINE_BLOCKS]), "EXECUTION_REVERTED", 3, /unknown height/);
      for (const h of [PREMINE_BLOCKS + 1, PREMINE_BLOCKS + 2, tip - 6, tip - 5]) {
        assert.equal(await view("blockHash", [h]), `0x${await btc<string>("getblockhash", h)}`, `blockHash(${h})`);
      }
      assert.equal(Number(await view("confirmations", [tip - 5])), 1);
      await refused(view("blockHash", [tip - 4]), "EXECUTION_REVERTED", 3, /unknown height/);

      // The right proofs: true, for every position (the padded last one included).
      const txid = (i: number) => `0x${block.tx[i]}`;
      const h = block.height;
      for (let i = 0; i < block.tx.length; i++) {
        const { proof } = merkleBranch(block.tx, i);
        assert.equal(proof.length, 3);
        assert.equal(await checkerCall("isIncluded", [txid(i), h, header, proof, i]), true, `transaction ${i}`);
      }
      // Recorded by a transaction.
      const { proof } = merkleBranch(block.tx, 2);
      const sent = await rpc<string>("eth_sendTransaction", [
        { from, to: checker, data: checkerAbi.encodeFunctionData("check", [txid(2), h, header, proof, 2]) },
      ]);
      const receipt = await rpc<RpcReceipt>("eth_getTransactionReceipt", [sent]);
      assert.equal(receipt.status, "0x1");
      const checked = receipt.logs.map((l) => checkerAbi.parseLog({ topics: l.topics, data: l.data })!);
      assert.deepEqual(
        checked.map((e) => [e.name, e.args.txid, Number(e.args.height), Number(e.args.index), e.args.included]),
        [["Checked", txid(2), h, 2, true]],
      );
      assert.equal(await checkerCall("proven", [txid(2)]), true);
      assert.equal(await checkerCall("lastResult"), true);

      // Wrong proofs: false.
      const flipped = (word: string) => `0x${(BigInt(word) ^ 1n).toString(16).padStart(64, "0")}`;
      const wrong: [string, unknown[]][] = [
        ["a wrong sibling", [txid(2), h, header, [flipped(proof[0]), ...proof.slice(1)], 2]],
        ["a wrong sibling higher up", [txid(2), h, header, [proof[0], proof[1], flipped(proof[2])], 2]],
        ["a wrong index", [txid(2), h, header, proof, 3]],
        ["another wrong index", [txid(2), h, header, proof, 0]],
        ["an index beyond the proof", [txid(2), h, header, proof, 2 + 8]],
        [
          "the previous block's header",
          [txid(2), h, `0x${await btc<string>("getblockheader", await btc<string>("getblockhash", h - 1), false)}`, proof, 2],
        ],
        [
          "a header with another merkle root",
          [txid(2), h, header.slice(0, 2 + 72) + flipped(`0x${header.slice(74, 138)}`).slice(2) + header.slice(138), proof, 2],
        ],
        ["a header cut short", [txid(2), h, header.slice(0, -2), proof, 2]],
        ["another transaction's txid", [flipped(txid(2)), h, header, proof, 2]],
        ["the padding duplicate of the last transaction", [txid(4), h, header, merkleBranch([...block.tx, block.tx[4]], 5).proof, 5]],
      ];
      for (const [name, args] of wrong) assert.equal(await checkerCall("isIncluded", args), false, name);
      const wrongSent = await rpc<string>("eth_sendTransaction", [
        { from, to: checker, data: checkerAbi.encodeFunctionData("check", [txid(3), h, header, proof, 3]) },
      ]);
      assert.equal((await rpc<RpcReceipt>("eth_getTransactionReceipt", [wrongSent])).status, "0x1");
      assert.equal(await checkerCall("lastResult"), false, "the checker recorded the refusal");
      assert.equal(await checkerCall("proven", [txid(3)]), false);
      assert.equal(Number(await checkerCall("checks")), 2);

      // A height the light client does not hold: the call reverts, the checker records nothing.
      for (const height of [tip - 4, tip, 1_000_000]) {
        await refused(checkerCall("isIncluded", [txid(2), height, header, proof, 2]), "EXECUTION_REVERTED", 3, /unknown height/);
      }
      await refused(
        rpc("eth_sendTransaction", [
          { from, to: checker, data: checkerAbi.encodeFunctionData("check", [txid(2), tip - 4, header, proof, 2]) },
        ]),
        "EXECUTION_REVERTED",
        3,
        /unknown height/,
      );
      assert.equal(Number(await checkerCall("checks")), 2);
    });

    it("after a warp of more than a day of Bitcoin blocks, the light client jumps to a checkpoint 144 blocks below the confirmed tip", async () => {
      const chains = await start();
      const call = async (fn: string, args: unknown[] = []) =>
        lightClientAbi.decodeFunctionResult(
          fn,
          await chains.rpc<string>("eth_call", [
            { to: BITCOIN_LIGHT_CLIENT.address, data: lightClientAbi.encodeFunctionData(fn, args) },
            "latest",
          ]),
        )[0];
      await chains.rpc("bitlayer_mineBitcoin", [10]);
      await chains.rpc("evm_mine");
      assert.equal(Number(await call("firstHeight")), PREMINE_BLOCKS + 1);
      await chains.rpc("bitlayer_warp", [2 * 24 * 3600]);
      await chains.rpc("evm_mine");
      const tip = await inProcessBitcoin(chains.devnet)<number>("getblockcount");
      assert.ok(tip - PREMINE_BLOCKS > 288, "two days of blocks");
      assert.equal(Number(await call("latestHeight")), tip - 5);
      assert.equal(Number(await call("firstHeight")), tip - 5 - 143);
      await assert.rejects(call("blockHash", [tip - 5 - 144]), /unknown height/);
      assert.equal(
        await call("blockHash", [tip - 5 - 143]),
        `0x${await inProcessBitcoin(chains.devnet)<string>("getblockhash", tip - 5 - 143)}`,
      );
      // From the new checkpoint on, headers link again one by one.
      await chains.rpc("bitlayer_mineBitcoin", [1]);
      await chains.rpc("evm_mine");
      assert.equal(Number(await call("latestHeight")), tip - 4);
      assert.equal(Number(await call("firstHeight")), tip - 5 - 143);
    });

    it("system transactions fit in the block's gas limit: a low limit delays headers and mints, never blocks mining", async () => {
      const chains = await start();
      const [alice, bob] = [chains.address(0), chains.address(1)];
      const lightClientHeight = async () => (await chains.rpc<BridgeInfo>("bitlayer_bridgeInfo")).lightClientHeight;
      await chains.rpc("evm_setBlockGasLimit", ["0x30000"]); // 196 608: half of it holds no header feed
      await chains.rpc("bitlayer_mineBitcoin", [8]);
      const hash = await chains.rpc<string>("eth_sendTransaction", [{ from: alice, to: bob, value: "0x1" }]);
      assert.equal((await chains.rpc<RpcReceipt>("eth_getTransactionReceipt", [hash])).status, "0x1");
      const block = await chains.rpc<{ gasUsed: string; gasLimit: string; transactions: string[] }>("eth_getBlockByNumber", [
        "latest",
        false,
      ]);
      assert.deepEqual(block.transactions, [hash], "no system transaction went in");
      assert.equal(await lightClientHeight(), -1);
      await chains.rpc("evm_setBlockGasLimit", ["0x1000000"]);
      await chains.rpc("evm_mine");
      const tip = await inProcessBitcoin(chains.devnet)<number>("getblockcount");
      assert.equal(await lightClientHeight(), tip - 5, "the headers follow once they fit");
      const latest = await chains.rpc<{ gasUsed: string; gasLimit: string }>("eth_getBlockByNumber", ["latest", false]);
      assert.ok(BigInt(latest.gasUsed) <= BigInt(latest.gasLimit) / 2n);
    });

    it("a block reward paid to the bridge (generatetoaddress) is locked there as an unmintable peg-in: the books still hold", async () => {
      const chains = await start();
      const info = await chains.rpc<BridgeInfo>("bitlayer_bridgeInfo");
      const before = await chains.rpc<Accounting>("bitlayer_bridgeAccounting");
      const [hash] = await inProcessBitcoin(chains.devnet)<string[]>("generatetoaddress", 1, info.bitcoinAddress);
      const block = await inProcessBitcoin(chains.devnet)<{ tx: string[] }>("getblock", hash, 1);
      const deposit = await chains.rpc<DepositView>("bitlayer_getDeposit", [block.tx[0]]);
      assert.equal(deposit.status, "rejected");
      assert.match(deposit.problem ?? "", /no BTL marker/);
      const after = await chains.rpc<Accounting>("bitlayer_bridgeAccounting");
      assert.equal(after.bitcoin.unmintableSats, before.bitcoin.unmintableSats + deposit.amountSats);
      assert.equal(after.bitcoin.lockedSats, before.bitcoin.lockedSats + deposit.amountSats);
      assert.deepEqual([after.bitcoin.holds, after.l2.holds], [true, true]);
    });

    it("a mint in a disproved batch is rolled back by bitlayer_recover and minted again, once", async () => {
      const chains = await start();
      const recipient = freshAddress("recovered");
      await chains.rpc("bitlayer_injectFraud");
      const deposit = await chains.rpc<DepositView>("bitlayer_deposit", [recipient, 70_000]);
      assert.equal(deposit.status, "minted");
      const mintBlock = BigInt(deposit.mint?.blockNumber ?? "0x0");
      for (let i = 0; i < 8 && !(await chains.status()).halted; i++) await chains.rpc("bitlayer_mineBitcoin", [1]);
      assert.ok((await chains.status()).halted, "the batch holding the mint was disproved");
      const recovered = await chains.rpc<{ rolledBackTo: string }>("bitlayer_recover");
      assert.ok(BigInt(recovered.rolledBackTo) < mintBlock, "the mint's block was rolled back");
      assert.equal(await chains.rpc<string>("eth_getBalance", [recipient, "latest"]), "0x0");
      await chains.rpc("bitlayer_mineBitcoin", [1]); // the next Bitcoin block: the deposit is minted again
      const again = await chains.rpc<DepositView>("bitlayer_getDeposit", [deposit.txid]);
      assert.equal(again.status, "minted");
      assert.ok(BigInt(again.mint?.blockNumber ?? "0x0") > BigInt(recovered.rolledBackTo));
      assert.equal(BigInt(await chains.rpc<string>("eth_getBalance", [recipient, "latest"])), 70_000n * WEI_PER_SAT);
      await chains.rpc("bitlayer_mineBitcoin", [3]);
      await chains.rpc("evm_mine");
      assert.equal(BigInt(await chains.rpc<string>("eth_getBalance", [recipient, "latest"])), 70_000n * WEI_PER_SAT, "minted once");
      const books = await chains.rpc<Accounting>("bitlayer_bridgeAccounting");
      assert.deepEqual([books.bitcoin.holds, books.l2.holds], [true, true]);
    });

    it("the light client starts at the first Bitcoin block after genesis, whether or not Bitcoin was queried before", async () => {
      // Two devnets given the same L2 requests; one is also asked a read-only Bitcoin question first.
      const quiet = await start();
      const asked = await start();
      const premined = await inProcessBitcoin(asked.devnet)<number>("getblockcount");
      const latestHeight = (chains: Chains) =>
        chains.rpc<string>("eth_call", [
          { to: BITCOIN_LIGHT_CLIENT.address, data: lightClientAbi.encodeFunctionData("latestHeight") },
          "latest",
        ]);
      for (const chains of [quiet, asked]) {
        await chains.rpc("evm_mine");
        // The premined blocks are not fed: before the first block after genesis has 6 confirmations, nothing is.
        await assert.rejects(latestHeight(chains), /no header yet/);
        await chains.rpc("bitlayer_mineBitcoin", [6]);
        await chains.rpc("evm_mine");
        assert.equal(Number(lightClientAbi.decodeFunctionResult("latestHeight", await latestHeight(chains))[0]), premined + 1);
      }
      assert.deepEqual(await quiet.l2BlockHashes(), await asked.l2BlockHashes(), "reading Bitcoin does not change the L2 blocks");
    });

    it("a peg-in to a contract that refuses the value is rejected, not minted, and counted unmintable", async () => {
      const chains = await start();
      const rpc = <T>(m: string, p: unknown[] = []) => chains.rpc<T>(m, p);
      // InclusionChecker has neither receive() nor fallback(): a plain payment to it reverts.
      const artifact = getContract("InclusionChecker");
      const deployData = artifact.bytecode + new Interface(artifact.abi as never).encodeDeploy([BITCOIN_LIGHT_CLIENT.address]).slice(2);
      const hash = await rpc<string>("eth_sendTransaction", [{ from: chains.address(0), data: deployData }]);
      const contract = (await rpc<{ contractAddress: string }>("eth_getTransactionReceipt", [hash])).contractAddress;
      const accounting0 = await rpc<Accounting>("bitlayer_bridgeAccounting");
      const deposit = await rpc<DepositView>("bitlayer_deposit", [contract, 60_000]);
      assert.equal(deposit.status, "rejected");
      assert.match(deposit.problem ?? "", /refused/);
      assert.equal(deposit.mint, null);
      assert.equal(await rpc<string>("eth_getBalance", [contract, "latest"]), "0x0");
      const accounting = await rpc<Accounting>("bitlayer_bridgeAccounting");
      assert.equal(accounting.bitcoin.unmintableSats, accounting0.bitcoin.unmintableSats + 60_000);
      assert.equal(accounting.bitcoin.mintedSats, accounting0.bitcoin.mintedSats);
      assert.equal(accounting.l2.mintedSats, accounting0.l2.mintedSats);
      assert.deepEqual([accounting.bitcoin.holds, accounting.l2.holds], [true, true]);
      // Not retried by later blocks.
      await inProcessBitcoin(chains.devnet)("generatetoaddress", 2, minerAddress);
      await rpc("evm_mine");
      assert.equal((await rpc<DepositView>("bitlayer_getDeposit", [deposit.txid])).status, "rejected");
      assert.deepEqual((await rpc<Accounting>("bitlayer_bridgeAccounting")).l2, accounting.l2);
    });

    it("with automine off, a peg-in at its depth is confirmed and waits; the next L2 block mints it", async () => {
      const chains = await start();
      const btc = inProcessBitcoin(chains.devnet);
      const rpc = <T>(m: string, p: unknown[] = []) => chains.rpc<T>(m, p);
      const bridgeScript = await bridgeScriptOf(chains);
      const recipient = freshAddress("manual");
      const coin = await fund(btc, 5_000_000n);
      await btc("generatetoaddress", 1, minerAddress);
      await rpc("evm_setAutomine", [false]);
      const tx = pegIn(coin, bridgeScript, 90_000n, [btl(recipient)]);
      await btc("sendrawtransaction", tx.toHex());
      const l2Block = await rpc<string>("eth_blockNumber");
      await btc("generatetoaddress", 7, minerAddress);
      const confirmed = await rpc<DepositView>("bitlayer_getDeposit", [tx.getId()]);
      assert.deepEqual([confirmed.status, confirmed.confirmations, confirmed.mint], ["confirmed", 7, null]);
      assert.equal(await rpc<string>("eth_getBalance", [recipient, "latest"]), "0x0");
      assert.equal(await rpc<string>("eth_blockNumber"), l2Block, "no L2 block without automine");
      await rpc("evm_mine");
      const minted = await rpc<DepositView>("bitlayer_getDeposit", [tx.getId()]);
      assert.equal(minted.status, "minted");
      assert.equal(Number(minted.mint?.blockNumber), Number(l2Block) + 1);
      assert.equal(await rpc<string>("eth_getBalance", [recipient, "latest"]), toQuantity(90_000n * WEI_PER_SAT));
    });

    it("bitlayer_deposit mints in one call; bad input is refused with a clear error and nothing changes", async () => {
      const chains = await start();
      const btc = inProcessBitcoin(chains.devnet);
      const rpc = <T>(m: string, p: unknown[] = []) => chains.rpc<T>(m, p);
      const recipient = freshAddress("deposit");
      const bridgeScript = await bridgeScriptOf(chains);
      const height0 = await btc<number>("getblockcount");
      const accounting0 = await rpc<Accounting>("bitlayer_bridgeAccounting");
      const amount = 250_000n;

      const deposit = await rpc<DepositView>("bitlayer_deposit", [recipient, Number(amount)]);
      assert.equal(await btc<number>("getblockcount"), height0 + 6, "mined the 6 blocks the deposit needs");
      assert.ok(deposit.mint);
      assert.deepEqual(deposit, {
        txid: deposit.txid,
        vout: deposit.vout,
        amountSats: Number(amount),
        amountWei: toQuantity(amount * WEI_PER_SAT),
        recipient: getAddress(recipient), // checksummed, as bitlayer_bridgeInfo's addresses
        status: "minted",
        height: height0 + 1,
        confirmations: 6,
        mint: deposit.mint,
        problem: null,
      });
      assert.deepEqual(await rpc("bitlayer_getDeposit", [deposit.txid]), deposit);
      assert.equal(await rpc<string>("eth_getBalance", [recipient, "latest"]), toQuantity(amount * WEI_PER_SAT));
      // The Bitcoin transaction is a documented peg-in: the amount to the bridge and BTL + the recipient.
      const tx = Transaction.fromHex(await btc<string>("getrawtransaction", deposit.txid));
      assert.equal(hex(tx.outs[deposit.vout].script), hex(bridgeScript));
      assert.equal(tx.outs[deposit.vout].value, amount);
      const markers = tx.outs
        .filter((o) => o.script[0] === 0x6a)
        .map((o) => hex(payments.embed({ output: o.script }).data?.[0] ?? new Uint8Array()));
      assert.deepEqual(markers, [hex(btl(recipient))]);
      const receipt = await rpc<RpcReceipt>("eth_getTransactionReceipt", [deposit.mint.transactionHash]);
      assert.deepEqual(
        [receipt.status, getAddress(receipt.from), getAddress(receipt.to)],
        ["0x1", getAddress(SYSTEM_ADDRESS), getAddress(BITCOIN_BRIDGE.address)],
      );
      assert.deepEqual(depositMinted(receipt.logs), [{ btcTxid: `0x${deposit.txid}`, vout: deposit.vout, recipient, amountSats: amount }]);
      const accounting1 = await rpc<Accounting>("bitlayer_bridgeAccounting");
      assert.equal(accounting1.bitcoin.mintedSats, accounting0.bitcoin.mintedSats + Number(amount));
      assert.equal(accounting1.l2.mintedSats, accounting0.l2.mintedSats + Number(amount));
      assert.deepEqual([accounting1.bitcoin.holds, accounting1.l2.holds], [true, true]);

      // Refusals: each leaves the wallet, the chains and the bridge's records as they were.
      const other = freshAddress("deposit-refused");
      const state = async () => ({
        walletBalance: await btc<number>("getbalance"),
        walletCoins: await btc<unknown[]>("listunspent", 0),
        height: await btc<number>("getblockcount"),
        mempool: await btc<string[]>("getrawmempool"),
        l2Block: await rpc<string>("eth_blockNumber"),
        balances: [await rpc<string>("eth_getBalance", [recipient, "latest"]), await rpc<string>("eth_getBalance", [other, "latest"])],
        accounting: await rpc<Accounting>("bitlayer_bridgeAccounting"),
      });
      const before = await state();
      const walletSats = sats(before.walletBalance);
      assert.ok(walletSats > 0n);
      const cases: [string, unknown[], RegExp][] = [
        ["the zero address", [ZeroAddress, 100_000], /^bitlayer_deposit: the recipient is the zero address$/],
        ["a recipient that is not an address", ["0x1234", 100_000], /invalid value for parameter 'recipient'/],
        ["dust (100 sats)", [other, 100], /^bitlayer_deposit: the dev wallet cannot send it: .*amount too small/i],
        [
          "more than the wallet holds",
          [other, Number(walletSats + 1n)],
          /^bitlayer_deposit: the dev wallet cannot send it: .*insufficient funds/i,
        ],
        ["a fractional amount", [other, 1500.5], /invalid value for parameter 'amountSats'/],
        ["a negative amount", [other, -5000], /invalid value for parameter 'amountSats'/],
        ["a string that is not a number", [other, "lots"], /invalid value for parameter 'amountSats'/],
        ["a decimal string", [other, "5000"], /invalid value for parameter 'amountSats'/],
        ["more than 21 million BTC", [other, 2_100_000_000_000_001], /invalid value for parameter 'amountSats'/],
        ["no parameters", [], /missing value for required parameter 'recipient'/],
        ["no amount", [other], /missing value for required parameter 'amountSats'/],
      ];
      for (const [name, params, message] of cases) {
        const error = await refused(rpc("bitlayer_deposit", params), "INVALID_PARAMS", -32602, message);
        assert.ok(error.message.length < 300, `${name}: a short message`);
        assert.deepEqual(await state(), before, `${name}: nothing changed`);
      }
    });

    it("with bridge.depositConfirmations 2, a peg-in is minted at the 2nd confirmation and the light client runs 2 deep", async () => {
      const chains = await start({ bridge: { depositConfirmations: 2 } });
      const btc = inProcessBitcoin(chains.devnet);
      const rpc = <T>(m: string, p: unknown[] = []) => chains.rpc<T>(m, p);
      const info = await rpc<BridgeInfo>("bitlayer_bridgeInfo");
      assert.equal(info.depositConfirmations, 2);
      const bridgeScript = baddress.toOutputScript(info.bitcoinAddress, regtest);
      const recipient = freshAddress("depth-2");
      const coin = await fund(btc, 5_000_000n);
      await btc("generatetoaddress", 1, minerAddress);
      const amount = 777_777n;
      const tx = pegIn(coin, bridgeScript, amount, [btl(recipient)]);
      await btc("sendrawtransaction", tx.toHex());
      await btc("generatetoaddress", 1, minerAddress);
      const pending = await rpc<DepositView>("bitlayer_getDeposit", [tx.getId()]);
      assert.deepEqual([pending.status, pending.confirmations, pending.mint], ["pending", 1, null]);
      assert.equal(await rpc<string>("eth_getBalance", [recipient, "latest"]), "0x0", "not minted at the 1st confirmation");
      await btc("generatetoaddress", 1, minerAddress);
      const minted = await rpc<DepositView>("bitlayer_getDeposit", [tx.getId()]);
      assert.deepEqual([minted.status, minted.confirmations], ["minted", 2]);
      assert.equal(await rpc<string>("eth_getBalance", [recipient, "latest"]), toQuantity(amount * WEI_PER_SAT), "minted at the 2nd");
      const tip = await btc<number>("getblockcount");
      const latest = lightClientAbi.decodeFunctionResult(
        "latestHeight",
        await rpc<string>("eth_call", [
          { to: BITCOIN_LIGHT_CLIENT.address, data: lightClientAbi.encodeFunctionData("latestHeight") },
          "latest",
        ]),
      )[0];
      assert.equal(Number(latest), tip - 1, "headers with 2 confirmations");

      const height = await btc<number>("getblockcount");
      const one = await rpc<DepositView>("bitlayer_deposit", [recipient, 10_000]);
      assert.equal(await btc<number>("getblockcount"), height + 2, "bitlayer_deposit mines 2 blocks");
      assert.deepEqual([one.status, one.confirmations], ["minted", 2]);
      assert.equal(await rpc<string>("eth_getBalance", [recipient, "latest"]), toQuantity((amount + 10_000n) * WEI_PER_SAT));
      const accounting = await rpc<Accounting>("bitlayer_bridgeAccounting");
      assert.deepEqual([accounting.bitcoin.holds, accounting.l2.holds], [true, true]);
    });

    it("evm_snapshot before the 6th confirmation, mint, evm_revert: the mint is undone; mining again mints exactly once", async () => {
      const chains = await start();
      const btc = inProcessBitcoin(chains.devnet);
      const rpc = <T>(m: string, p: unknown[] = []) => chains.rpc<T>(m, p);
      const bridgeScript = await bridgeScriptOf(chains);
      const recipient = freshAddress("snapshot");
      const coin = await fund(btc, 5_000_000n);
      await btc("generatetoaddress", 1, minerAddress);
      const amount = 424_242n;
      const tx = pegIn(coin, bridgeScript, amount, [btl(recipient)]);
      const txid = tx.getId();
      await btc("sendrawtransaction", tx.toHex());
      await btc("generatetoaddress", 5, minerAddress);
      const balance = () => rpc<string>("eth_getBalance", [recipient, "latest"]);
      const totalMinted = async () =>
        BigInt(
          await rpc<string>("eth_call", [{ to: BITCOIN_BRIDGE.address, data: bridgeAbi.encodeFunctionData("totalMintedSats") }, "latest"]),
        );
      const mintedLogs = async () =>
        depositMinted(
          await rpc<RpcReceipt["logs"]>("eth_getLogs", [
            {
              address: BITCOIN_BRIDGE.address,
              topics: [bridgeAbi.getEvent("DepositMinted")!.topicHash, `0x${txid}`],
              fromBlock: "0x0",
              toBlock: "latest",
            },
          ]),
        );

      const pending = await rpc<DepositView>("bitlayer_getDeposit", [txid]);
      assert.deepEqual([pending.status, pending.confirmations, pending.mint], ["pending", 5, null]);
      const height5 = await btc<number>("getblockcount");
      const l2Block5 = await rpc<string>("eth_blockNumber");
      const minted0 = await totalMinted();
      const accounting5 = await rpc<Accounting>("bitlayer_bridgeAccounting");
      const snapshot = await rpc<string>("evm_snapshot");

      await btc("generatetoaddress", 1, minerAddress);
      assert.equal(await balance(), toQuantity(amount * WEI_PER_SAT));
      assert.equal((await rpc<DepositView>("bitlayer_getDeposit", [txid])).status, "minted");
      assert.equal(await totalMinted(), minted0 + amount);

      assert.equal(await rpc("evm_revert", [snapshot]), true);
      assert.equal(await balance(), "0x0", "the balance is back");
      assert.deepEqual(await rpc("bitlayer_getDeposit", [txid]), pending, "the deposit is back to pending, not minted");
      assert.equal(await btc<number>("getblockcount"), height5, "Bitcoin is back");
      assert.equal(await rpc<string>("eth_blockNumber"), l2Block5, "the L2 is back");
      assert.equal(await totalMinted(), minted0);
      assert.deepEqual(await mintedLogs(), []);
      assert.deepEqual(await rpc("bitlayer_bridgeAccounting"), accounting5);

      await btc("generatetoaddress", 1, minerAddress);
      const minted = await rpc<DepositView>("bitlayer_getDeposit", [txid]);
      assert.deepEqual([minted.status, minted.confirmations], ["minted", 6]);
      assert.equal(Number(minted.mint?.blockNumber), Number(l2Block5) + 1);
      assert.equal(await balance(), toQuantity(amount * WEI_PER_SAT), "minted again, once");
      await btc("generatetoaddress", 3, minerAddress);
      await rpc("evm_mine");
      assert.equal(await balance(), toQuantity(amount * WEI_PER_SAT));
      assert.equal(await totalMinted(), minted0 + amount);
      assert.deepEqual(await mintedLogs(), [{ btcTxid: `0x${txid}`, vout: 0, recipient, amountSats: amount }]);
      const accounting = await rpc<Accounting>("bitlayer_bridgeAccounting");
      assert.equal(accounting.bitcoin.mintedSats, accounting5.bitcoin.mintedSats + Number(amount));
      assert.deepEqual([accounting.bitcoin.holds, accounting.l2.holds], [true, true]);
    });
  });
});
