// ethers v6 over HTTP against a started devnet server: contracts, sends, logs, reverts, gas,
// fees, test controls, signing, tracing and block tags.
//
// The provider is created with cacheTimeout -1: ethers otherwise answers identical requests
// (getBlock("latest"), getBalance(...)) from a 250 ms cache, which hides state changes.

import assert from "node:assert/strict";
import {
  type BaseContract,
  Contract,
  ContractFactory,
  type ContractTransactionReceipt,
  type ContractTransactionResponse,
  getAddress,
  hexlify,
  Interface,
  type InterfaceAbi,
  isError,
  JsonRpcProvider,
  JsonRpcSigner,
  Network,
  parseEther,
  Transaction,
  type TransactionReceipt,
  toBeHex,
  toQuantity,
  toUtf8Bytes,
  verifyMessage,
  verifyTypedData,
  Wallet,
  zeroPadValue,
} from "ethers";
import { startTestDevnet, type TestDevnet } from "./support/server.js";
import { type CompiledContract, getContract } from "./support/solc.js";

const GENESIS_TIMESTAMP = 1_700_000_000;
const GWEI = 1_000_000_000n;

interface RpcBlock {
  number: string;
  hash: string;
  parentHash: string;
  miner: string;
  timestamp: string;
  gasUsed: string;
  gasLimit: string;
  baseFeePerGas: string;
  mixHash: string;
  transactions: string[];
}

interface RpcReceipt {
  transactionHash: string;
  transactionIndex: string;
  blockHash: string;
  blockNumber: string;
  from: string;
  to: string | null;
  status: string;
  gasUsed: string;
  cumulativeGasUsed: string;
  effectiveGasPrice: string;
  contractAddress: string | null;
  logs: { address: string; topics: string[]; data: string; logIndex: string; transactionHash: string }[];
  type: string;
}

interface RpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

interface RpcResponse<T = unknown> {
  jsonrpc: string;
  id: number | string | null;
  result?: T;
  error?: RpcErrorObject;
}

/** The JSON-RPC error object that ethers keeps on its errors (error.error or error.info.error). */
function rpcErrorOf(err: unknown): RpcErrorObject {
  const e = err as { error?: RpcErrorObject; info?: { error?: RpcErrorObject } };
  const inner = e.error ?? e.info?.error;
  assert.ok(inner && typeof inner.code === "number", `expected an error carrying a JSON-RPC error, got: ${String(err)}`);
  return inner;
}

/** EIP-1559 next base fee (elasticity 2, change denominator 8), as the spec defines it. */
function nextBaseFee(parent: { gasUsed: bigint; gasLimit: bigint; baseFee: bigint }): bigint {
  const target = parent.gasLimit / 2n;
  if (parent.gasUsed === target) return parent.baseFee;
  if (parent.gasUsed > target) {
    const delta = (parent.baseFee * (parent.gasUsed - target)) / target / 8n;
    return parent.baseFee + (delta > 1n ? delta : 1n);
  }
  return parent.baseFee - (parent.baseFee * (target - parent.gasUsed)) / target / 8n;
}

describe("ethers v6 over HTTP", function () {
  this.timeout(60_000);

  let net: TestDevnet;
  let provider: JsonRpcProvider;
  let chainId: bigint;
  let counterArtifact: CompiledContract;
  let callerArtifact: CompiledContract;
  let counterIface: Interface;
  /** Dev account 0, signing locally (eth_sendRawTransaction). */
  let wallet: Wallet;
  /** Dev account 1, signing in the node (eth_sendTransaction). */
  let nodeSigner: JsonRpcSigner;
  /** A Counter deployed by `wallet` with initial count 5. */
  let counter: Contract;
  let counterAddress: string;
  let deployReceipt: TransactionReceipt;

  const send = <T>(method: string, params: unknown[] = []): Promise<T> => provider.send(method, params) as Promise<T>;
  const devKey = (i: number) => net.devnet.accounts[i].privateKey;
  const devAddress = (i: number) => net.devnet.accounts[i].address;
  const blockAt = (n: bigint | number) => send<RpcBlock>("eth_getBlockByNumber", [toQuantity(n), false]);
  const balanceAt = async (address: string, block: bigint | number | string = "latest") =>
    BigInt(await send<string>("eth_getBalance", [address, typeof block === "string" ? block : toQuantity(block)]));
  const blockNumber = async () => BigInt(await send<string>("eth_blockNumber"));

  let rawId = 0;
  /** One JSON-RPC request with fetch, bypassing ethers (no batching, no error mapping). */
  async function rawRpc<T>(method: string, params: unknown[] = []): Promise<RpcResponse<T>> {
    const res = await fetch(net.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: ++rawId, method, params }),
    });
    assert.equal(res.status, 200);
    return (await res.json()) as RpcResponse<T>;
  }

  /** A fully populated EIP-1559 transfer, signed offline by dev account `i`. */
  async function signedTransfer(i: number, to: string, value: bigint, nonce?: number): Promise<string> {
    const w = new Wallet(devKey(i));
    return w.signTransaction({
      type: 2,
      chainId,
      to,
      value,
      nonce: nonce ?? (await provider.getTransactionCount(w.address, "pending")),
      gasLimit: 21_000n,
      maxFeePerGas: 100n * GWEI,
      maxPriorityFeePerGas: GWEI,
    });
  }

  async function deployWithReceipt(
    artifact: CompiledContract,
    runner: Wallet | JsonRpcSigner,
    args: unknown[],
  ): Promise<{ contract: Contract; receipt: TransactionReceipt }> {
    const factory = new ContractFactory(artifact.abi as InterfaceAbi, artifact.bytecode, runner);
    const deployed = (await factory.deploy(...args)) as BaseContract;
    const receipt = await deployed.deploymentTransaction()?.wait();
    assert.ok(receipt, "deployment receipt");
    return { contract: new Contract(await deployed.getAddress(), artifact.abi as InterfaceAbi, runner), receipt };
  }

  async function deployCounter(runner: Wallet | JsonRpcSigner, initial: bigint): Promise<Contract> {
    return (await deployWithReceipt(counterArtifact, runner, [initial])).contract;
  }

  async function sendAndWait(promise: Promise<ContractTransactionResponse>): Promise<ContractTransactionReceipt> {
    const tx = await promise;
    const receipt = await tx.wait();
    assert.ok(receipt, "receipt");
    return receipt;
  }

  before(async () => {
    counterArtifact = getContract("Counter");
    callerArtifact = getContract("CounterCaller");
    counterIface = new Interface(counterArtifact.abi as InterfaceAbi);
    net = await startTestDevnet({ genesisTimestamp: GENESIS_TIMESTAMP });
    chainId = net.devnet.chainId;
    provider = new JsonRpcProvider(net.url, Network.from(chainId), { staticNetwork: true, cacheTimeout: -1 });
    wallet = new Wallet(devKey(0), provider);
    nodeSigner = await provider.getSigner(1);

    ({ contract: counter, receipt: deployReceipt } = await deployWithReceipt(counterArtifact, wallet, [5n]));
    counterAddress = await counter.getAddress();
  });

  after(async () => {
    provider?.destroy();
    await net?.close();
  });

  describe("contracts", () => {
    it("deploys a compiled contract: code at the address, constructor ran, receipt names the address", async () => {
      assert.equal(deployReceipt.status, 1);
      assert.equal(deployReceipt.contractAddress, counterAddress);
      assert.equal(deployReceipt.to, null);
      assert.equal(deployReceipt.from, wallet.address);
      assert.equal(await provider.getCode(counterAddress), counterArtifact.deployedBytecode);
      assert.equal(await counter.count(), 5n);
      // The address is the CREATE address of the deployer and its nonce.
      const tx = await provider.getTransaction(deployReceipt.hash);
      assert.ok(tx);
      assert.equal(tx.to, null);
      assert.equal(tx.data, counterArtifact.bytecode + counterIface.encodeDeploy([5n]).slice(2));
    });

    it("calls view functions (eth_call) and sends transactions with a local Wallet", async () => {
      const before = (await counter.count()) as bigint;
      const receipt = await sendAndWait(counter.connect(wallet).getFunction("increment")());
      assert.equal(receipt.status, 1);
      assert.equal(receipt.from, wallet.address);
      assert.equal(receipt.to, counterAddress);
      assert.equal(await counter.count(), before + 1n);
      assert.equal(await counter.lastCaller(), wallet.address);
    });

    it("sends with a JsonRpcSigner through eth_sendTransaction (the node signs with a dev key)", async () => {
      assert.equal(await nodeSigner.getAddress(), devAddress(1));
      const before = (await counter.count()) as bigint;
      const nonce = await provider.getTransactionCount(devAddress(1), "latest");
      const receipt = await sendAndWait(counter.connect(nodeSigner).getFunction("incrementBy")(7n));
      assert.equal(receipt.status, 1);
      assert.equal(receipt.from, devAddress(1));
      assert.equal(await counter.count(), before + 7n);
      assert.equal(await counter.lastCaller(), devAddress(1));
      assert.equal(await provider.getTransactionCount(devAddress(1), "latest"), nonce + 1);

      // A plain value transfer through the node.
      const to = "0x00000000000000000000000000000000000A11cE";
      const tx = await nodeSigner.sendTransaction({ to, value: 12_345n });
      const r = await tx.wait();
      assert.equal(r?.status, 1);
      assert.equal(r?.gasUsed, 21_000n);
      assert.equal(await provider.getBalance(to), 12_345n);
    });

    it("eth_accounts lists the dev accounts in order", async () => {
      const accounts = await send<string[]>("eth_accounts");
      assert.equal(accounts.length, net.devnet.accounts.length);
      assert.deepEqual(
        accounts.map((a) => getAddress(a)),
        net.devnet.accounts.map((a) => a.address),
      );
      assert.equal(accounts[0], "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
    });
  });

  describe("events and logs", () => {
    it("receipt logs parse with the contract interface", async () => {
      const receipt = await sendAndWait(counter.connect(wallet).getFunction("incrementBy")(3n));
      const count = (await counter.count()) as bigint;
      assert.equal(receipt.logs.length, 1);
      const log = receipt.logs[0];
      assert.equal(log.address, counterAddress);
      assert.equal(log.transactionHash, receipt.hash);
      assert.equal(log.blockNumber, receipt.blockNumber);
      assert.equal(log.blockHash, receipt.blockHash);
      const parsed = counterIface.parseLog(log);
      assert.ok(parsed);
      assert.equal(parsed.name, "Incremented");
      assert.equal(parsed.args.by, wallet.address);
      assert.equal(parsed.args.newCount, count);
      assert.equal(parsed.args.amount, 3n);
      // ethers' own decoding on a ContractTransactionReceipt.
      const eventLog = receipt.logs[0] as { eventName?: string };
      assert.equal(eventLog.eventName, "Incremented");
    });

    it("eth_getLogs (provider.getLogs) filters by address and topics", async () => {
      const from = await provider.getBlockNumber();
      const other = await deployCounter(wallet, 0n);
      await sendAndWait(counter.connect(wallet).getFunction("incrementBy")(2n)); // by wallet
      await sendAndWait(counter.connect(nodeSigner).getFunction("incrementBy")(4n)); // by dev 1
      await sendAndWait(other.connect(wallet).getFunction("incrementBy")(8n)); // other contract
      const to = await provider.getBlockNumber();

      const topic0 = counterIface.getEvent("Incremented")?.topicHash;
      assert.ok(topic0);
      const byWallet = await provider.getLogs({
        address: counterAddress,
        topics: [topic0, zeroPadValue(wallet.address, 32)],
        fromBlock: from + 1,
        toBlock: to,
      });
      assert.equal(byWallet.length, 1);
      assert.equal(counterIface.parseLog(byWallet[0])?.args.amount, 2n);

      // Topic OR-list: by wallet or by dev 1, on counter only.
      const either = await provider.getLogs({
        address: counterAddress,
        topics: [topic0, [zeroPadValue(wallet.address, 32), zeroPadValue(devAddress(1), 32)]],
        fromBlock: from + 1,
        toBlock: to,
      });
      assert.deepEqual(
        either.map((l) => counterIface.parseLog(l)?.args.amount),
        [2n, 4n],
      );

      // Both contracts, no topic filter.
      const all = await provider.getLogs({ address: [counterAddress, await other.getAddress()], fromBlock: from + 1, toBlock: to });
      assert.equal(all.length, 3);
      // The range is honoured.
      const none = await provider.getLogs({ address: counterAddress, fromBlock: to + 1, toBlock: to + 1 }).catch(() => []);
      assert.equal(none.length, 0);
      // blockHash form.
      const lastBlock = await provider.getBlock(to);
      assert.ok(lastBlock?.hash);
      const inBlock = await provider.getLogs({ blockHash: lastBlock.hash });
      assert.equal(inBlock.length, 1);
      assert.equal(inBlock[0].address, await other.getAddress());
    });

    it("contract.queryFilter finds the events of an indexed argument", async () => {
      const from = await provider.getBlockNumber();
      await sendAndWait(counter.connect(nodeSigner).getFunction("incrementBy")(11n));
      await sendAndWait(counter.connect(wallet).getFunction("increment")());
      await sendAndWait(counter.connect(nodeSigner).getFunction("incrementBy")(13n));
      const events = await counter.queryFilter(counter.filters.Incremented(devAddress(1)), from + 1, "latest");
      assert.equal(events.length, 2);
      const amounts = events.map((e) => ("args" in e ? (e.args.amount as bigint) : -1n));
      assert.deepEqual(amounts, [11n, 13n]);
      for (const e of events) assert.equal("eventName" in e ? e.eventName : "", "Incremented");
    });
  });

  describe("reverts", () => {
    it("a require() revert: ethers reports the reason (staticCall, and when estimating a send)", async () => {
      await assert.rejects(counter.getFunction("incrementBy").staticCall(0n), (err: unknown) => {
        assert.ok(isError(err, "CALL_EXCEPTION"), String(err));
        assert.equal(err.reason, "amount must be positive");
        assert.equal(err.revert?.name, "Error");
        assert.deepEqual([...(err.revert?.args ?? [])], ["amount must be positive"]);
        return true;
      });
      const nonce = await wallet.getNonce("latest");
      await assert.rejects(counter.connect(wallet).getFunction("incrementBy")(0n), (err: unknown) => {
        assert.ok(isError(err, "CALL_EXCEPTION"), String(err));
        assert.equal(err.reason, "amount must be positive");
        return true;
      });
      assert.equal(await wallet.getNonce("latest"), nonce, "a send refused at estimation is not mined");
      // Over the wire: code 3, the revert data, and the reason in the message.
      const raw = await rawRpc("eth_call", [{ to: counterAddress, data: counterIface.encodeFunctionData("incrementBy", [0n]) }]);
      assert.equal(raw.error?.code, 3);
      assert.match(raw.error?.message ?? "", /execution reverted: amount must be positive/);
      assert.equal(raw.error?.data, counterIface.encodeErrorResult("Error", ["amount must be positive"]));
    });

    it("a custom error: ethers decodes its name and arguments", async () => {
      await assert.rejects(counter.getFunction("incrementBy").staticCall(1001n), (err: unknown) => {
        assert.ok(isError(err, "CALL_EXCEPTION"), String(err));
        assert.equal(err.revert?.name, "TooLarge");
        assert.equal(err.revert?.signature, "TooLarge(uint256,uint256)");
        assert.deepEqual([...(err.revert?.args ?? [])], [1001n, 1000n]);
        assert.equal(err.data, counterIface.encodeErrorResult("TooLarge", [1001n, 1000n]));
        return true;
      });
    });

    it("a panic: ethers reports Panic with its code (division by zero 0x12, assert 0x01)", async () => {
      const panics = (code: bigint, reason?: RegExp) => (err: unknown) => {
        assert.ok(isError(err, "CALL_EXCEPTION"), String(err));
        assert.equal(err.revert?.name, "Panic");
        assert.deepEqual(
          (err.revert?.args ?? []).map((a) => BigInt(a)),
          [code],
        );
        if (reason) assert.match(err.reason ?? "", reason);
        return true;
      };
      await assert.rejects(counter.getFunction("divide").staticCall(0n), panics(0x12n, /DIVIDE_BY_ZERO|division/i));
      await assert.rejects(counter.getFunction("assertCount").staticCall(123_456n), panics(0x01n));
      assert.equal(await counter.getFunction("divide").staticCall(1n), await counter.count());
    });

    it("a reverting transaction sent with an explicit gas limit is mined with status 0, and the send answers Hardhat's error", async () => {
      const before = (await counter.count()) as bigint;
      const nonce = await wallet.getNonce("latest");
      let hash = "";
      await assert.rejects(counter.connect(wallet).getFunction("incrementBy")(0n, { gasLimit: 100_000n }), (err: unknown) => {
        const rpc = rpcErrorOf(err);
        assert.equal(rpc.code, -32000);
        assert.equal(rpc.message, "VM Exception while processing transaction: reverted with reason string 'amount must be positive'");
        const data = rpc.data as { code: string; txHash: string; data: string };
        assert.equal(data.code, "TRANSACTION_FAILED");
        assert.equal(counter.interface.parseError(data.data)?.args[0], "amount must be positive");
        hash = data.txHash;
        return true;
      });
      const receipt = await send<RpcReceipt>("eth_getTransactionReceipt", [hash]);
      assert.equal(receipt.status, "0x0");
      assert.ok(BigInt(receipt.gasUsed) > 21_000n && BigInt(receipt.gasUsed) < 100_000n);
      assert.equal(await counter.count(), before);
      assert.equal(await wallet.getNonce("latest"), nonce + 1, "a mined failure still uses the nonce");
    });
  });

  describe("gas and fees", () => {
    it("estimateGas: a contract call needs more than 21000, exactly the estimate succeeds, one less fails", async () => {
      const transfer = await provider.estimateGas({ from: wallet.address, to: "0x000000000000000000000000000000000000dEaD", value: 1n });
      assert.equal(transfer, 21_000n);

      const increment = counter.connect(wallet).getFunction("increment");
      const estimate = await increment.estimateGas();
      assert.ok(estimate > 21_000n, `estimate ${estimate} > 21000`);
      assert.ok(estimate < 100_000n, `estimate ${estimate} is sane`);
      let shortHash = "";
      await assert.rejects(increment({ gasLimit: estimate - 1n }), (err: unknown) => {
        const rpc = rpcErrorOf(err);
        assert.equal(rpc.message, "Transaction ran out of gas");
        shortHash = (rpc.data as { txHash: string }).txHash;
        return true;
      });
      assert.equal((await send<RpcReceipt>("eth_getTransactionReceipt", [shortHash])).status, "0x0", "mined, and failed");
      const receipt = await sendAndWait(increment({ gasLimit: estimate }));
      assert.equal(receipt.status, 1);
      assert.ok(receipt.gasUsed <= estimate);

      // With a refund (clearing a slot), the estimate must cover the gas used before the refund.
      assert.ok(((await counter.count()) as bigint) > 0n);
      const clear = counter.connect(wallet).getFunction("set");
      const clearEstimate = await clear.estimateGas(0n);
      const clearReceipt = await sendAndWait(clear(0n, { gasLimit: clearEstimate }));
      assert.equal(clearReceipt.status, 1);
      assert.equal(await counter.count(), 0n);
      assert.ok(clearReceipt.gasUsed < clearEstimate, "the refund is applied after execution");
      await sendAndWait(counter.connect(wallet).getFunction("set")(50n));
    });

    it("eth_feeHistory: shape and base fees consistent with the blocks", async () => {
      // Four blocks: a big-ish one, an empty one, a transfer with a 2 gwei tip, an empty one.
      await sendAndWait(counter.connect(wallet).getFunction("incrementBy")(9n));
      await send("evm_mine");
      const tipped = await wallet.sendTransaction({
        to: "0x000000000000000000000000000000000000bEEF",
        value: 1n,
        maxPriorityFeePerGas: 2n * GWEI,
        maxFeePerGas: 1000n * GWEI,
      });
      await tipped.wait();
      await send("evm_mine");
      const latest = await blockNumber();

      const history = await send<{
        oldestBlock: string;
        baseFeePerGas: string[];
        gasUsedRatio: number[];
        reward: string[][];
      }>("eth_feeHistory", ["0x4", "latest", [25, 75]]);
      assert.equal(BigInt(history.oldestBlock), latest - 3n);
      assert.equal(history.baseFeePerGas.length, 5, "one base fee per block plus the next block's");
      assert.equal(history.gasUsedRatio.length, 4);
      assert.equal(history.reward.length, 4);
      for (const r of history.reward) assert.equal(r.length, 2);

      const blocks = await Promise.all([0n, 1n, 2n, 3n].map((i) => blockAt(latest - 3n + i)));
      for (const [i, b] of blocks.entries()) {
        assert.equal(BigInt(history.baseFeePerGas[i]), BigInt(b.baseFeePerGas), `base fee of block ${b.number}`);
        assert.equal(history.gasUsedRatio[i], Number(BigInt(b.gasUsed)) / Number(BigInt(b.gasLimit)));
        if (i > 0) {
          const p = blocks[i - 1];
          assert.equal(
            BigInt(b.baseFeePerGas),
            nextBaseFee({ gasUsed: BigInt(p.gasUsed), gasLimit: BigInt(p.gasLimit), baseFee: BigInt(p.baseFeePerGas) }),
            `block ${b.number} follows EIP-1559 from its parent`,
          );
        }
      }
      const last = blocks[3];
      assert.equal(
        BigInt(history.baseFeePerGas[4]),
        nextBaseFee({ gasUsed: BigInt(last.gasUsed), gasLimit: BigInt(last.gasLimit), baseFee: BigInt(last.baseFeePerGas) }),
      );
      assert.equal(history.gasUsedRatio[1], 0, "empty block");
      assert.deepEqual(history.reward[1], ["0x0", "0x0"], "no tips in an empty block");
      assert.deepEqual(
        history.reward[2].map((x) => BigInt(x)),
        [2n * GWEI, 2n * GWEI],
        "the tipped transfer's tip",
      );
      // The next block's base fee is what eth_gasPrice builds on.
      const pending = BigInt(history.baseFeePerGas[4]);
      assert.equal(BigInt(await send<string>("eth_gasPrice")), pending + BigInt(await send<string>("eth_maxPriorityFeePerGas")));

      // A past newest block: its next base fee is the following block's actual base fee.
      const past = await send<{ oldestBlock: string; baseFeePerGas: string[] }>("eth_feeHistory", ["0x2", toQuantity(latest - 2n), []]);
      assert.equal(BigInt(past.oldestBlock), latest - 3n);
      assert.equal(BigInt(past.baseFeePerGas[2]), BigInt(blocks[2].baseFeePerGas));
    });

    it("the base fee is credited to the block's coinbase, not burned", async () => {
      const to = "0x000000000000000000000000000000000000c0de";
      const tx = await new Wallet(devKey(2), provider).sendTransaction({
        to,
        value: parseEther("1"),
        maxPriorityFeePerGas: GWEI,
        maxFeePerGas: 100n * GWEI,
      });
      const receipt = await tx.wait();
      assert.ok(receipt);
      const block = await blockAt(receipt.blockNumber);
      assert.equal(block.transactions.length, 1, "the transfer is alone in its block");
      const baseFee = BigInt(block.baseFeePerGas);
      assert.ok(baseFee > 0n, "the block has a base fee");
      const coinbase = getAddress(block.miner);
      const gained = (await balanceAt(coinbase, receipt.blockNumber)) - (await balanceAt(coinbase, receipt.blockNumber - 1));
      assert.equal(receipt.gasPrice, baseFee + GWEI, "effective gas price = base fee + tip");
      assert.equal(gained, receipt.gasUsed * receipt.gasPrice, "coinbase gains gasUsed * effectiveGasPrice (base fee + tip)");
      assert.ok(gained > receipt.gasUsed * GWEI, "more than the tip alone");

      // Nothing is created or destroyed: the sender's loss is the coinbase's gain plus the value.
      const senderLoss = (await balanceAt(devAddress(2), receipt.blockNumber - 1)) - (await balanceAt(devAddress(2), receipt.blockNumber));
      assert.equal(senderLoss, gained + parseEther("1"));
    });

    it("group commit: concurrent raw transactions over HTTP land in fewer blocks than transactions", async () => {
      const n = 8;
      // Open the keep-alive connections first, so that the requests really arrive together.
      await Promise.all(Array.from({ length: n }, () => rawRpc("eth_chainId")));
      const sink = "0x0000000000000000000000000000000000005111";
      const raws = await Promise.all(Array.from({ length: n }, (_, i) => signedTransfer(10 + i, sink, BigInt(i + 1))));
      const before = await blockNumber();
      const answers = await Promise.all(raws.map((raw) => rawRpc<string>("eth_sendRawTransaction", [raw])));
      const hashes = answers.map((a) => {
        assert.equal(a.error, undefined, JSON.stringify(a.error));
        return a.result as string;
      });
      const receipts = await Promise.all(hashes.map((h) => send<RpcReceipt>("eth_getTransactionReceipt", [h])));
      for (const r of receipts) assert.equal(r?.status, "0x1", "each is mined by the time its send returns (automine)");
      const blocks = new Set(receipts.map((r) => BigInt(r.blockNumber)));
      assert.ok(blocks.size < n, `${n} concurrent transactions landed in ${blocks.size} blocks`);
      assert.equal(await blockNumber(), before + BigInt(blocks.size), "no empty blocks in between");
      assert.equal(await provider.getBalance(sink), BigInt((n * (n + 1)) / 2));
    });

    it("group commit: a JSON-RPC batch of raw transactions lands in one block", async () => {
      const n = 6;
      const sink = "0x0000000000000000000000000000000000005112";
      const raws = await Promise.all(Array.from({ length: n }, (_, i) => signedTransfer(10 + i, sink, 1n)));
      const res = await fetch(net.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(raws.map((raw, i) => ({ jsonrpc: "2.0", id: i, method: "eth_sendRawTransaction", params: [raw] }))),
      });
      const answers = (await res.json()) as RpcResponse<string>[];
      assert.equal(answers.length, n);
      const receipts = await Promise.all(
        answers.map((a) => {
          assert.equal(a.error, undefined, JSON.stringify(a.error));
          return send<RpcReceipt>("eth_getTransactionReceipt", [a.result]);
        }),
      );
      const blocks = new Set(receipts.map((r) => r.blockNumber));
      assert.equal(blocks.size, 1, `one block for the batch, got ${[...blocks].join(", ")}`);
      const block = await send<RpcBlock>("eth_getBlockByNumber", [[...blocks][0], false]);
      assert.equal(block.transactions.length, n);
    });
  });

  describe("blocks, receipts and transactions", () => {
    it("eth_getBlockReceipts returns every receipt of the block, as eth_getTransactionReceipt does", async () => {
      const raws = await Promise.all([3, 4, 5].map((i) => signedTransfer(i, "0x0000000000000000000000000000000000005113", 7n)));
      const res = await fetch(net.url, {
        method: "POST",
        body: JSON.stringify(raws.map((raw, i) => ({ jsonrpc: "2.0", id: i, method: "eth_sendRawTransaction", params: [raw] }))),
      });
      const hashes = ((await res.json()) as RpcResponse<string>[]).map((a) => a.result as string);
      const first = await send<RpcReceipt>("eth_getTransactionReceipt", [hashes[0]]);
      const byNumber = await send<RpcReceipt[]>("eth_getBlockReceipts", [first.blockNumber]);
      const byHash = await send<RpcReceipt[]>("eth_getBlockReceipts", [{ blockHash: first.blockHash }]);
      assert.equal(byNumber.length, 3);
      assert.deepEqual(byHash, byNumber);
      for (const [i, r] of byNumber.entries()) {
        assert.equal(BigInt(r.transactionIndex), BigInt(i));
        assert.deepEqual(r, await send<RpcReceipt>("eth_getTransactionReceipt", [r.transactionHash]));
      }
      assert.deepEqual(new Set(byNumber.map((r) => r.transactionHash)), new Set(hashes));
      assert.equal(BigInt(byNumber[2].cumulativeGasUsed), 63_000n);
      assert.equal(await send("eth_getBlockReceipts", [toQuantity((await blockNumber()) + 1000n)]), null);
    });

    it("getTransaction returns every field of the signed transaction, and its signature recovers the sender", async () => {
      const data = counterIface.encodeFunctionData("incrementBy", [21n]);
      const nonce = await wallet.getNonce("pending");
      const sent = await wallet.sendTransaction({
        to: counterAddress,
        data,
        value: 0n,
        nonce,
        gasLimit: 90_000n,
        maxFeePerGas: 50n * GWEI,
        maxPriorityFeePerGas: 3n * GWEI,
      });
      const receipt = await sent.wait();
      assert.ok(receipt);
      const tx = await provider.getTransaction(sent.hash);
      assert.ok(tx);
      assert.equal(tx.hash, sent.hash);
      assert.equal(tx.type, 2);
      assert.equal(tx.from, wallet.address);
      assert.equal(tx.to, counterAddress);
      assert.equal(tx.nonce, nonce);
      assert.equal(tx.data, data);
      assert.equal(tx.value, 0n);
      assert.equal(tx.gasLimit, 90_000n);
      assert.equal(tx.maxFeePerGas, 50n * GWEI);
      assert.equal(tx.maxPriorityFeePerGas, 3n * GWEI);
      assert.equal(tx.chainId, chainId);
      assert.equal(tx.blockNumber, receipt.blockNumber);
      assert.equal(tx.blockHash, receipt.blockHash);
      assert.equal(tx.index, receipt.index);
      const block = await blockAt(receipt.blockNumber);
      assert.equal(tx.gasPrice, BigInt(block.baseFeePerGas) + 3n * GWEI, "gasPrice of a mined 1559 tx = effective price");
      // Re-serializing the returned fields gives the same hash and sender.
      const again = Transaction.from({
        type: tx.type,
        chainId: tx.chainId,
        nonce: tx.nonce,
        to: tx.to,
        data: tx.data,
        value: tx.value,
        gasLimit: tx.gasLimit,
        maxFeePerGas: tx.maxFeePerGas,
        maxPriorityFeePerGas: tx.maxPriorityFeePerGas,
        accessList: tx.accessList ?? [],
        signature: tx.signature,
      });
      assert.equal(again.hash, tx.hash);
      assert.equal(again.from, wallet.address);

      // A legacy (EIP-155) transaction.
      const legacy = await wallet.sendTransaction({ type: 0, to: wallet.address, value: 1n, gasPrice: 10n * GWEI });
      await legacy.wait();
      const got = await provider.getTransaction(legacy.hash);
      assert.equal(got?.type, 0);
      assert.equal(got?.gasPrice, 10n * GWEI);
      assert.equal(got?.chainId, chainId);
      assert.equal(Transaction.from({ ...got?.toJSON(), signature: got?.signature, from: undefined }).from, wallet.address);
      assert.equal(await provider.getTransaction(`0x${"ab".repeat(32)}`), null);
    });
  });

  describe("test controls", () => {
    it("evm_snapshot / evm_revert restore state and block number", async () => {
      await send("evm_mine");
      const height = await blockNumber();
      const headHash = (await blockAt(height)).hash;
      const countBefore = (await counter.count()) as bigint;
      const balanceBefore = await provider.getBalance(devAddress(4));
      const nonceBefore = await provider.getTransactionCount(devAddress(4), "latest");
      const snapshot = await send<string>("evm_snapshot");

      await sendAndWait(counter.connect(new Wallet(devKey(4), provider)).getFunction("incrementBy")(100n));
      await send("evm_mine");
      assert.equal(await counter.count(), countBefore + 100n);
      assert.ok((await blockNumber()) > height);

      assert.equal(await send("evm_revert", [snapshot]), true);
      assert.equal(await blockNumber(), height);
      assert.equal((await blockAt(height)).hash, headHash);
      assert.equal(await counter.count(), countBefore);
      assert.equal(await provider.getBalance(devAddress(4)), balanceBefore);
      assert.equal(await provider.getTransactionCount(devAddress(4), "latest"), nonceBefore);
      assert.equal(await send("eth_getBlockByNumber", [toQuantity(height + 1n), false]), null);
      assert.equal(await send("evm_revert", [snapshot]), false, "a snapshot is used up by evm_revert");

      // The chain goes on from the restored head.
      await send("evm_mine");
      assert.equal((await blockAt(height + 1n)).parentHash, headHash);

      // The clock is part of the snapshot: a warp after it is undone by evm_revert.
      const t0 = BigInt((await blockAt(height + 1n)).timestamp);
      const again = await send<string>("evm_snapshot");
      await send("evm_increaseTime", [100_000]);
      await send("evm_revert", [again]);
      await send("evm_mine");
      const t1 = BigInt((await blockAt(height + 2n)).timestamp);
      assert.ok(t1 > t0 && t1 < t0 + 100_000n, `timestamp ${t1} after reverting a warp (previous ${t0})`);
    });

    it("evm_increaseTime + evm_mine move the next block's timestamp", async () => {
      const head = await blockAt(await blockNumber());
      const t0 = BigInt(head.timestamp);
      // evm_mine with a timestamp also sets the clock: the chain and the clock agree from here.
      await send("evm_mine", [toQuantity(t0 + 10n)]);
      assert.equal(BigInt((await blockAt(await blockNumber())).timestamp), t0 + 10n);

      const offset = BigInt(await send<string>("evm_increaseTime", [3600]));
      assert.ok(offset >= 3600n, `total offset ${offset}`);
      await send("evm_mine");
      const t1 = BigInt((await blockAt(await blockNumber())).timestamp);
      assert.equal(t1, t0 + 10n + 3600n);

      // Hex quantity form too; the clock (genesisTimestamp given) does not follow the wall clock.
      await send("evm_increaseTime", ["0x3c"]);
      await send("evm_mine");
      assert.equal(BigInt((await blockAt(await blockNumber())).timestamp), t1 + 60n);

      // A later block without a warp still moves forward.
      await send("evm_mine");
      assert.ok(BigInt((await blockAt(await blockNumber())).timestamp) > t1 + 60n);
    });

    it("hardhat_setBalance / setCode / setStorageAt / setNonce", async () => {
      const target = "0x00000000000000000000000000000000c0ffee01";
      assert.equal(await send("hardhat_setBalance", [target, toQuantity(parseEther("123"))]), true);
      assert.equal(await provider.getBalance(target), parseEther("123"));

      assert.equal(await send("hardhat_setCode", [target, counterArtifact.deployedBytecode]), true);
      assert.equal(await provider.getCode(target), counterArtifact.deployedBytecode);
      const planted = new Contract(target, counterArtifact.abi as InterfaceAbi, wallet);
      assert.equal(await planted.count(), 0n, "code without constructor: empty storage");

      assert.equal(await send("hardhat_setStorageAt", [target, "0x0", toBeHex(42n, 32)]), true);
      assert.equal(await provider.getStorage(target, 0n), toBeHex(42n, 32));
      assert.equal(await planted.count(), 42n);
      // The planted contract works in transactions too.
      await sendAndWait(planted.getFunction("increment")());
      assert.equal(await planted.count(), 43n);
      assert.equal(await provider.getBalance(target), parseEther("123"), "setCode/setStorageAt keep the balance");

      const fresh = "0x00000000000000000000000000000000c0ffee02";
      assert.equal(await send("hardhat_setNonce", [fresh, "0x2a"]), true);
      assert.equal(await provider.getTransactionCount(fresh, "latest"), 42);
      // A dev account's next transaction uses the nonce that was set.
      const dev = new Wallet(devKey(6), provider);
      await send("hardhat_setNonce", [dev.address, toQuantity(77)]);
      const tx = await dev.sendTransaction({ to: fresh, value: 1n });
      assert.equal(tx.nonce, 77);
      assert.equal((await tx.wait())?.status, 1);
      assert.equal(await provider.getTransactionCount(dev.address, "latest"), 78);
    });

    it("impersonation: eth_sendTransaction from an address whose key nobody has", async () => {
      const whale = "0x1234567890AbcdEF1234567890aBcdef12345678";
      const to = "0x0000000000000000000000000000000000005114";
      await send("hardhat_setBalance", [whale, toQuantity(parseEther("10"))]);
      await assert.rejects(send("eth_sendTransaction", [{ from: whale, to, value: "0x1" }]), (err: unknown) => {
        const e = rpcErrorOf(err);
        assert.equal((e.data as { code?: string })?.code, "UNKNOWN_ACCOUNT");
        return true;
      });

      assert.equal(await send("hardhat_impersonateAccount", [whale]), true);
      const signer = new JsonRpcSigner(provider, whale);
      const tx = await signer.sendTransaction({ to, value: parseEther("1") });
      const receipt = await tx.wait();
      assert.equal(receipt?.status, 1);
      assert.equal(receipt?.from, getAddress(whale));
      assert.equal(await provider.getBalance(to), parseEther("1"));
      assert.equal(await provider.getTransactionCount(whale, "latest"), 1);
      const fee = (receipt?.gasUsed ?? 0n) * (receipt?.gasPrice ?? 0n);
      assert.equal(await provider.getBalance(whale), parseEther("9") - fee);

      // Impersonated calls to contracts record the impersonated sender.
      await sendAndWait(counter.connect(signer).getFunction("set")(777n));
      assert.equal(await counter.lastCaller(), getAddress(whale));

      assert.equal(await send("hardhat_stopImpersonatingAccount", [whale]), true);
      await assert.rejects(send("eth_sendTransaction", [{ from: whale, to, value: "0x1" }]), (err: unknown) => {
        assert.equal((rpcErrorOf(err).data as { code?: string })?.code, "UNKNOWN_ACCOUNT");
        return true;
      });
    });

    it("txpool_status / txpool_content with manual mining (evm_setAutomine false)", async () => {
      const from = devAddress(3);
      const gapWallet = new Wallet(devKey(7), provider);
      assert.equal(await send("evm_setAutomine", [false]), true);
      try {
        assert.equal(await send("hardhat_getAutomine"), false);
        const height = await blockNumber();
        const nonce = await provider.getTransactionCount(from, "latest");
        const h1 = await send<string>("eth_sendTransaction", [{ from, to: from, value: "0x1" }]);
        const h2 = await send<string>("eth_sendTransaction", [{ from, to: from, value: "0x2" }]);
        // A nonce gap: queued, not pending.
        const gapNonce = (await gapWallet.getNonce("latest")) + 1;
        const gapHash = (await provider.broadcastTransaction(await signedTransfer(7, from, 3n, gapNonce))).hash;

        assert.equal(await blockNumber(), height, "nothing is mined");
        assert.deepEqual(await send("txpool_status"), { pending: "0x2", queued: "0x1" });
        const content = await send<{
          pending: Record<string, Record<string, { hash: string; nonce: string; blockNumber: null }>>;
          queued: Record<string, Record<string, { hash: string }>>;
        }>("txpool_content");
        const mine = content.pending[from.toLowerCase()];
        assert.deepEqual(Object.keys(mine).sort(), [String(nonce), String(nonce + 1)].sort());
        assert.equal(mine[String(nonce)].hash, h1);
        assert.equal(mine[String(nonce + 1)].hash, h2);
        assert.equal(mine[String(nonce)].blockNumber, null);
        assert.equal(content.queued[gapWallet.address.toLowerCase()][String(gapNonce)].hash, gapHash);
        assert.equal(await provider.getTransactionCount(from, "pending"), nonce + 2);
        assert.equal(await provider.getTransactionReceipt(h1), null, "no receipt while pending");
        assert.equal((await provider.getTransaction(h1))?.blockNumber, null);

        await send("evm_mine");
        assert.equal(await blockNumber(), height + 1n);
        const block = await blockAt(height + 1n);
        assert.deepEqual(block.transactions, [h1, h2]);
        assert.deepEqual(await send("txpool_status"), { pending: "0x0", queued: "0x1" });

        assert.equal(await send("hardhat_dropTransaction", [gapHash]), true);
        assert.deepEqual(await send("txpool_status"), { pending: "0x0", queued: "0x0" });
      } finally {
        await send("evm_setAutomine", [true]);
      }
      assert.equal(await send("hardhat_getAutomine"), true);
    });

    it("proposer rotation: the coinbase rotates over the validators hardhat_metadata lists, by stake", async () => {
      const meta = await send<{ chainId: number; validators: { address: string; stake: string }[]; profile: string }>("hardhat_metadata");
      assert.equal(BigInt(meta.chainId), chainId);
      assert.equal(meta.profile, "bitlayer");
      assert.ok(meta.validators.length >= 2, "several validators");
      const validators = new Map(meta.validators.map((v) => [getAddress(v.address), BigInt(v.stake)]));
      const totalStake = [...validators.values()].reduce((a, b) => a + b, 0n);

      const start = (await blockNumber()) + 1n;
      const rounds = 10;
      await send("hardhat_mine", [toQuantity(rounds)]);
      const coinbases: string[] = [];
      for (let i = 0n; i < BigInt(rounds); i++) coinbases.push(getAddress((await blockAt(start + i)).miner));
      for (const c of coinbases) assert.ok(validators.has(c), `coinbase ${c} is a listed validator`);

      let changes = 0;
      for (let i = 1; i < coinbases.length; i++) if (coinbases[i] !== coinbases[i - 1]) changes++;
      assert.ok(changes >= rounds / 2, `the proposer changes between consecutive blocks (${changes} of ${rounds - 1})`);
      // Over as many blocks as total stake / 10^6 (4+3+2+1 by default), each proposes in proportion to its stake.
      if (totalStake % 1_000_000n === 0n && totalStake / 1_000_000n === BigInt(rounds)) {
        for (const [address, stake] of validators) {
          assert.equal(BigInt(coinbases.filter((c) => c === address).length), stake / 1_000_000n, `blocks proposed by ${address}`);
        }
      }
      // The pending block's coinbase comes from the same rotation.
      assert.equal(new Set(coinbases).size, validators.size);
    });
  });

  describe("signing", () => {
    it("eth_sign and personal_sign give EIP-191 signatures that ethers.verifyMessage accepts", async () => {
      const message = "Bitlayer devnet says hello";
      const viaSigner = await nodeSigner.signMessage(message); // personal_sign
      assert.equal(verifyMessage(message, viaSigner), devAddress(1));

      const viaPersonal = await send<string>("personal_sign", [hexlify(toUtf8Bytes(message)), devAddress(2)]);
      assert.equal(verifyMessage(message, viaPersonal), devAddress(2));

      const viaEthSign = await send<string>("eth_sign", [devAddress(3), hexlify(toUtf8Bytes(message))]);
      assert.equal(verifyMessage(message, viaEthSign), devAddress(3));

      // Same key, same message: the same signature as ethers' own Wallet (RFC 6979).
      assert.equal(viaEthSign, await new Wallet(devKey(3)).signMessage(message));

      await assert.rejects(
        send("personal_sign", [hexlify(toUtf8Bytes(message)), "0x000000000000000000000000000000000000dEaD"]),
        (err: unknown) => (rpcErrorOf(err).data as { code?: string })?.code === "UNKNOWN_ACCOUNT",
      );
    });

    it("eth_signTypedData_v4 gives EIP-712 signatures that ethers.verifyTypedData accepts", async () => {
      const domain = { name: "Mail", version: "1", chainId, verifyingContract: counterAddress };
      const types = {
        Person: [
          { name: "name", type: "string" },
          { name: "wallet", type: "address" },
        ],
        Mail: [
          { name: "from", type: "Person" },
          { name: "to", type: "Person" },
          { name: "contents", type: "string" },
          { name: "amount", type: "uint256" },
        ],
      };
      const value = {
        from: { name: "Alice", wallet: devAddress(1) },
        to: { name: "Bob", wallet: devAddress(2) },
        contents: "Hello, Bob!",
        amount: 10n ** 20n,
      };
      const signature = await nodeSigner.signTypedData(domain, types, value); // eth_signTypedData_v4
      assert.equal(verifyTypedData(domain, types, value, signature), devAddress(1));
      assert.equal(signature, await new Wallet(devKey(1)).signTypedData(domain, types, value));

      // Also as an object (not a JSON string), EIP712Domain included.
      const payload = {
        domain: { ...domain, chainId: Number(chainId) },
        types: {
          EIP712Domain: [
            { name: "name", type: "string" },
            { name: "version", type: "string" },
            { name: "chainId", type: "uint256" },
            { name: "verifyingContract", type: "address" },
          ],
          ...types,
        },
        primaryType: "Mail",
        message: { ...value, amount: value.amount.toString() },
      };
      const asObject = await send<string>("eth_signTypedData_v4", [devAddress(1), payload]);
      assert.equal(asObject, signature);
    });
  });

  describe("tracing", () => {
    it("debug_traceTransaction: struct logs of a state-changing call contain SSTORE", async () => {
      const receipt = await sendAndWait(counter.connect(wallet).getFunction("incrementBy")(2n));
      const trace = await send<{
        gas: number;
        failed: boolean;
        returnValue: string;
        structLogs: { op: string; depth: number; pc: number; gas: number; storage?: Record<string, string> }[];
      }>("debug_traceTransaction", [receipt.hash]);
      assert.equal(trace.failed, false);
      assert.equal(BigInt(trace.gas), receipt.gasUsed);
      assert.ok(trace.structLogs.length > 10);
      const sstores = trace.structLogs.filter((l) => l.op === "SSTORE");
      assert.ok(sstores.length >= 2, "count and lastCaller are written");
      assert.ok(
        trace.structLogs.some((l) => l.op === "LOG3"),
        "the Incremented event (3 topics)",
      );
      assert.equal(trace.structLogs[0].pc, 0);
      assert.equal(trace.structLogs[0].depth, 1);
      // The storage view after the SSTOREs shows slot 0 = the new count.
      const last = sstores[sstores.length - 1];
      const slot0 = last.storage?.["0".repeat(64)];
      assert.equal(slot0 && BigInt(`0x${slot0}`), await counter.count());
    });

    it("debug_traceTransaction with callTracer shows nested calls", async () => {
      const { contract: callerContract } = await deployWithReceipt(callerArtifact, wallet, []);
      const callerAddress = await callerContract.getAddress();
      const before = (await counter.count()) as bigint;
      const receipt = await sendAndWait(callerContract.getFunction("incrementTwice")(counterAddress));
      assert.equal(await counter.count(), before + 2n);

      interface Frame {
        type: string;
        from: string;
        to: string;
        input: string;
        output?: string;
        gasUsed: string;
        calls?: Frame[];
      }
      const top = await send<Frame>("debug_traceTransaction", [receipt.hash, { tracer: "callTracer" }]);
      assert.equal(top.type, "CALL");
      assert.equal(getAddress(top.from), wallet.address);
      assert.equal(getAddress(top.to), callerAddress);
      assert.equal(BigInt(top.gasUsed), receipt.gasUsed);
      assert.equal(top.calls?.length, 3);
      const [c1, c2, c3] = top.calls as Frame[];
      const incrementSelector = counterIface.getFunction("increment")?.selector;
      for (const c of [c1, c2]) {
        assert.equal(c.type, "CALL");
        assert.equal(getAddress(c.from), callerAddress);
        assert.equal(getAddress(c.to), counterAddress);
        assert.equal(c.input, incrementSelector);
      }
      assert.equal(c3.type, "STATICCALL");
      assert.equal(c3.input, counterIface.getFunction("count")?.selector);
      assert.equal(BigInt(c3.output ?? "0x"), before + 2n);

      const onlyTop = await send<Frame>("debug_traceTransaction", [
        receipt.hash,
        { tracer: "callTracer", tracerConfig: { onlyTopCall: true } },
      ]);
      assert.equal(onlyTop.calls, undefined);
    });

    it("debug_traceTransaction replays a transaction that depends on hardhat_set* changes made before its block", async () => {
      // A sender funded only by hardhat_setBalance, calling code planted by hardhat_setCode.
      const sender = "0x00000000000000000000000000000000000f0001";
      const target = "0x00000000000000000000000000000000000f0002";
      await send("hardhat_setBalance", [sender, toQuantity(parseEther("1"))]);
      await send("hardhat_setCode", [target, "0x600160005500"]); // SSTORE(0, 1); STOP
      await send("hardhat_impersonateAccount", [sender]);
      try {
        const hash = await send<string>("eth_sendTransaction", [{ from: sender, to: target, gas: toQuantity(100_000) }]);
        const receipt = await send<RpcReceipt>("eth_getTransactionReceipt", [hash]);
        assert.equal(receipt.status, "0x1");
        assert.equal(BigInt(await send<string>("eth_getStorageAt", [target, "0x0", "latest"])), 1n);

        const trace = await rawRpc<{ gas: number; failed: boolean; structLogs: { op: string }[] }>("debug_traceTransaction", [hash]);
        assert.equal(trace.error, undefined, `trace failed: ${trace.error?.message.slice(0, 200)}`);
        assert.deepEqual(
          trace.result?.structLogs.map((l) => l.op),
          ["PUSH1", "PUSH1", "SSTORE", "STOP"],
          "the trace runs the code the transaction ran",
        );
        assert.equal(BigInt(trace.result?.gas ?? 0), BigInt(receipt.gasUsed), "the trace uses the gas the receipt reports");
        const calls = await rawRpc<{ gasUsed: string }>("debug_traceTransaction", [hash, { tracer: "callTracer" }]);
        assert.equal(calls.error, undefined, `callTracer failed: ${calls.error?.message.slice(0, 200)}`);
        assert.equal(calls.result?.gasUsed, receipt.gasUsed);
      } finally {
        await send("hardhat_stopImpersonatingAccount", [sender]);
      }
    });
  });

  describe("block tags", () => {
    it("safe and finalized resolve to the anchored and hard-final blocks bitlayer_status reports", async () => {
      // Earlier tests moved the clock by days: Bitcoin blocks came, batches were claimed and anchored.
      const status = await send<{ l2: { safe: string; finalized: string } }>("bitlayer_status");
      for (const [tag, expected] of [
        ["safe", status.l2.safe],
        ["finalized", status.l2.finalized],
      ]) {
        const b = await send<RpcBlock>("eth_getBlockByNumber", [tag, false]);
        assert.equal(b.number, expected, tag);
        assert.equal(b.hash, (await blockAt(Number(expected))).hash, tag);
        // State at the tag is the state at that block.
        assert.equal(await balanceAt(wallet.address, tag), await balanceAt(wallet.address, expected));
        assert.equal(
          await send("eth_getTransactionCount", [wallet.address, tag]),
          await send("eth_getTransactionCount", [wallet.address, expected]),
        );
      }
      assert.ok((await blockNumber()) > 0n);
      const genesis = await blockAt(0);
      assert.equal((await send<RpcBlock>("eth_getBlockByNumber", ["earliest", false])).hash, genesis.hash);
      assert.equal(await balanceAt(wallet.address, "latest"), await provider.getBalance(wallet.address));
    });

    it("EIP-1898 {blockHash} and {blockNumber} parameters read the state at that block", async () => {
      await sendAndWait(counter.connect(wallet).getFunction("set")(1000n));
      const n1 = await blockNumber();
      const b1 = await blockAt(n1);
      await sendAndWait(counter.connect(wallet).getFunction("set")(2000n));
      const n2 = await blockNumber();
      assert.equal(await counter.count(), 2000n);

      const callData = { to: counterAddress, data: counterIface.encodeFunctionData("count") };
      const at = async (tag: unknown) => BigInt(await send<string>("eth_call", [callData, tag]));
      assert.equal(await at({ blockHash: b1.hash }), 1000n);
      assert.equal(await at({ blockHash: b1.hash, requireCanonical: true }), 1000n);
      assert.equal(await at({ blockNumber: toQuantity(n1) }), 1000n);
      assert.equal(await at({ blockNumber: toQuantity(n2) }), 2000n);
      assert.equal(await at("latest"), 2000n);

      assert.equal(BigInt(await send<string>("eth_getStorageAt", [counterAddress, "0x0", { blockHash: b1.hash }])), 1000n);
      assert.equal(
        BigInt(await send<string>("eth_getBalance", [wallet.address, { blockNumber: toQuantity(n1) }])),
        BigInt(await send<string>("eth_getBalance", [wallet.address, toQuantity(n1)])),
      );
      assert.equal(
        await send("eth_getTransactionCount", [wallet.address, { blockHash: b1.hash }]),
        await send("eth_getTransactionCount", [wallet.address, toQuantity(n1)]),
      );
      assert.equal(await send("eth_getCode", [counterAddress, { blockHash: b1.hash }]), counterArtifact.deployedBytecode);

      // An unknown block hash is an error naming the block, not a silent "latest".
      const unknown = `0x${"12".repeat(32)}`;
      const raw = await rawRpc("eth_call", [callData, { blockHash: unknown }]);
      assert.ok(raw.error, "error for an unknown block hash");
      assert.equal((raw.error.data as { code?: string }).code, "UNKNOWN_BLOCK");
      assert.match(raw.error.message, new RegExp(unknown));
      const future = await rawRpc("eth_getBalance", [wallet.address, { blockNumber: toQuantity(n2 + 100n) }]);
      assert.equal((future.error?.data as { code?: string })?.code, "UNKNOWN_BLOCK");
    });
  });
});
