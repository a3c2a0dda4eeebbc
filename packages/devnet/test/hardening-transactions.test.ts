// Transaction life cycle hardening (issue 5: A3, A4, B13, B15, B18, B19, C22): what can never be
// mined is refused at admission and the miner cannot spin; every send resolves, in a batch too;
// a fee credit cannot push a balance past 2^256 - 1; a wrong chainId is refused; hardhat_setNonce
// prunes the pool; user errors get user codes; and with automine a failed transaction answers
// with Hardhat's error (revert data + transaction hash), or with its hash when the option is off.

import assert from "node:assert/strict";
import { gunzipSync, gzipSync } from "node:zlib";
import { RLP } from "@ethereumjs/rlp";
import { bigIntToUnpaddedBytes, hexToBytes } from "@ethereumjs/util";
import {
  type Contract,
  ContractFactory,
  Interface,
  type InterfaceAbi,
  isError,
  JsonRpcProvider,
  Transaction,
  toBeHex,
  Wallet,
} from "ethers";
import { DevnetError } from "../src/errors.js";
import { startTestDevnet, type TestDevnet } from "./support/server.js";
import { type CompiledContract, getContract } from "./support/solc.js";

interface RpcErrorObject {
  code: number;
  message: string;
  data?: { code?: string; message?: string; txHash?: string; data?: string } & Record<string, unknown>;
}

interface RpcResponse<T = unknown> {
  id: number | null;
  result?: T;
  error?: RpcErrorObject;
}

const GWEI = 1_000_000_000n;
const ETHER = 10n ** 18n;
const MAX_UINT256 = 2n ** 256n - 1n;
/** Deployed with code 0xfe (INVALID): a call to it burns all the gas it is given. */
const BURNER = "0x0000000000000000000000000000000000000fe0";
/** The VM/block/transaction dump @ethereumjs appends to its errors: never shown to users. */
const VM_INTERNALS = /vm hf=|block number=|tx type=|hardfork/;

describe("transaction life cycle hardening", function () {
  this.timeout(120_000);

  let net: TestDevnet;
  let nextId = 1;

  async function post<T>(body: unknown, timeoutMs = 30_000): Promise<T> {
    const res = await fetch(net.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    assert.equal(res.status, 200);
    return (await res.json()) as T;
  }

  const request = (method: string, params: unknown[] = []) => ({ jsonrpc: "2.0", id: nextId++, method, params });

  async function call<T = unknown>(method: string, params: unknown[] = []): Promise<RpcResponse<T>> {
    return post<RpcResponse<T>>(request(method, params));
  }

  async function result<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    const res = await call<T>(method, params);
    assert.equal(res.error, undefined, `${method}: ${JSON.stringify(res.error)}`);
    return res.result as T;
  }

  async function refused(method: string, params: unknown[], code: number, reason: string, message: RegExp): Promise<RpcErrorObject> {
    const res = await call(method, params);
    assert.ok(res.error, `${method} must be refused, answered ${JSON.stringify(res.result)}`);
    assert.equal(res.error.data?.code, reason, res.error.message);
    assert.equal(res.error.code, code, res.error.message);
    assert.match(res.error.message, message);
    assert.doesNotMatch(res.error.message, VM_INTERNALS);
    return res.error;
  }

  const blockNumber = async () => BigInt(await result<string>("eth_blockNumber"));
  const account = (i: number) => net.devnet.accounts[i];
  const wallet = (i: number) => new Wallet(account(i).privateKey);
  const chainId = () => net.devnet.chainId;

  async function signed(i: number, fields: Partial<Parameters<typeof Transaction.from>[0] & object>): Promise<string> {
    const w = wallet(i);
    const nonce = BigInt(await result<string>("eth_getTransactionCount", [w.address, "pending"]));
    return w.signTransaction(
      Transaction.from({
        chainId: chainId(),
        type: 2,
        nonce: Number(nonce),
        gasLimit: 21_000n,
        maxFeePerGas: 10n * GWEI,
        maxPriorityFeePerGas: GWEI,
        to: account(19).address,
        value: 0n,
        ...fields,
      }),
    );
  }

  afterEach(async () => {
    await net?.close();
  });

  describe("A3: what can never be mined is refused, and the miner cannot spin", () => {
    it("a fee cap below the next block's base fee is refused at admission in every mining mode (Anvil's wording, -32003)", async () => {
      net = await startTestDevnet({ genesisTimestamp: 1_700_000_000 });
      for (const mode of ["manual", "auto"] as const) {
        await result("evm_setAutomine", [mode === "auto"]);
        const zeroPrice = await signed(1, { type: 0, gasPrice: 0n, maxFeePerGas: undefined, maxPriorityFeePerGas: undefined });
        await refused("eth_sendRawTransaction", [zeroPrice], -32003, "FEE_TOO_LOW", /max fee per gas less than block base fee/);
        await refused(
          "eth_sendTransaction",
          [{ from: account(1).address, to: account(2).address, gas: "0x5208", maxFeePerGas: "0x1", maxPriorityFeePerGas: "0x0" }],
          -32003,
          "FEE_TOO_LOW",
          /max fee per gas less than block base fee/,
        );
        // Without a gas limit the send is estimated first: the same refusal, not the estimate's words.
        for (const fee of [{ gasPrice: "0x0" }, { maxFeePerGas: "0x0", maxPriorityFeePerGas: "0x0" }]) {
          await refused(
            "eth_sendTransaction",
            [{ from: account(1).address, to: account(2).address, ...fee }],
            -32003,
            "FEE_TOO_LOW",
            /^max fee per gas less than block base fee: 0 < \d+$/,
          );
        }
        assert.deepEqual(await result("txpool_status"), { pending: "0x0", queued: "0x0" }, `${mode}: nothing pooled`);
      }
    });

    it("switching automine on over a pool it cannot mine mines a bounded number of blocks", async () => {
      net = await startTestDevnet({ genesisTimestamp: 1_700_000_000, mining: { mode: "manual" } });
      await result("hardhat_setCode", [BURNER, "0xfe"]);
      const baseFee = net.devnet.core.chain.nextBaseFee();
      // Admitted: its fee cap is exactly the next block's base fee. It does not fit next to the
      // burner's 39M gas (the block holds 40M), and that full block raises the base fee past its cap: it is stuck.
      const stuck = await signed(1, { maxFeePerGas: baseFee, maxPriorityFeePerGas: 0n, gasLimit: 2_000_000n });
      const stuckHash = await result<string>("eth_sendRawTransaction", [stuck]);
      const burn = await signed(2, { to: BURNER, gasLimit: 39_000_000n, maxFeePerGas: 100n * GWEI, maxPriorityFeePerGas: 10n * GWEI });
      await result("eth_sendRawTransaction", [burn]);
      await result("evm_mine");
      assert.ok(net.devnet.core.chain.nextBaseFee() > baseFee, "the base fee rose past the stuck transaction's cap");
      assert.deepEqual(await result("txpool_status"), { pending: "0x1", queued: "0x0" });
      const height = await blockNumber();

      await result("evm_setAutomine", [true]);
      // Give a spinning miner many turns of the event loop to show itself.
      for (let i = 0; i < 20; i++) {
        await new Promise((r) => setTimeout(r, 10));
        await result("eth_chainId");
      }
      const mined = (await blockNumber()) - height;
      assert.ok(mined <= 1n, `automine mined ${mined} blocks over a pool it cannot mine`);
      assert.equal((await result<{ hash: string } | null>("eth_getTransactionByHash", [stuckHash]))?.hash, stuckHash, "still pending");

      // Automine still works for what it can mine.
      const fine = await signed(3, { maxFeePerGas: 100n * GWEI });
      const fineHash = await result<string>("eth_sendRawTransaction", [fine]);
      assert.equal((await result<{ status: string }>("eth_getTransactionReceipt", [fineHash])).status, "0x1");
    });
  });

  describe("A4: every send resolves, and a batch answers when all its members have", () => {
    it("three raw transactions of one sender in a batch, the second unaffordable once the first is mined", async () => {
      net = await startTestDevnet({ genesisTimestamp: 1_700_000_000 });
      const sender = account(5).address;
      await result("hardhat_setBalance", [sender, toBeHex(ETHER)]);
      // Each is affordable on its own; after the first, the second is not.
      const txs = [
        await signed(5, { nonce: 0, value: (9n * ETHER) / 10n }),
        await signed(5, { nonce: 1, value: ETHER / 2n }),
        await signed(5, { nonce: 2, value: ETHER / 100n }),
      ];
      const hashes = txs.map((raw) => Transaction.from(raw).hash as string);
      const answers = await post<RpcResponse<string>[]>(txs.map((raw) => request("eth_sendRawTransaction", [raw])));
      assert.equal(answers.length, 3);
      const [first, second, third] = [...answers].sort((a, b) => (a.id ?? 0) - (b.id ?? 0));

      assert.equal(first.result, hashes[0]);
      assert.ok(second.error, "the second is refused");
      assert.equal(second.error.code, -32000);
      assert.equal(second.error.data?.code, "INSUFFICIENT_FUNDS");
      assert.match(second.error.message, /^insufficient funds for gas \* price \+ value: /);
      assert.doesNotMatch(second.error.message, VM_INTERNALS);
      assert.ok(third.error, "the third, left behind a nonce gap, is refused rather than left pending");
      assert.equal(third.error.code, -32000);
      assert.equal(third.error.data?.code, "NONCE_TOO_HIGH");
      assert.match(third.error.message, /Nonce too high\. Expected nonce to be 1 but got 2/);

      assert.equal((await result<{ status: string }>("eth_getTransactionReceipt", [hashes[0]])).status, "0x1");
      for (const hash of hashes.slice(1)) {
        assert.equal(await result("eth_getTransactionByHash", [hash]), null, "refused means not pooled");
      }
      assert.deepEqual(await result("txpool_status"), { pending: "0x0", queued: "0x0" });
      assert.equal(await result("eth_getTransactionCount", [sender, "latest"]), "0x1");
    });

    it("a transaction dropped at mining fails its sender's wait with a user error, in manual mode too", async () => {
      net = await startTestDevnet({ genesisTimestamp: 1_700_000_000, mining: { mode: "manual" } });
      const sender = account(6).address;
      await result("hardhat_setBalance", [sender, toBeHex(ETHER)]);
      await result("eth_sendRawTransaction", [await signed(6, { nonce: 0, value: (9n * ETHER) / 10n })]);
      const hash = await result<string>("eth_sendRawTransaction", [await signed(6, { nonce: 1, value: ETHER / 2n })]);
      const pooled = net.devnet.core.chain.pool.get(hash);
      assert.ok(pooled);
      await result("evm_mine");
      await assert.rejects(pooled.inclusion, (err: unknown) => {
        assert.ok(err instanceof DevnetError);
        assert.equal(err.code, "INSUFFICIENT_FUNDS");
        assert.equal(err.rpcCode, -32000);
        assert.doesNotMatch(err.message, VM_INTERNALS);
        return true;
      });
      assert.equal(await result("eth_getTransactionByHash", [hash]), null);
    });
  });

  describe("B13: a fee credit cannot push a balance past 2^256 - 1", () => {
    it("a transaction whose fee would overflow the coinbase is refused and changes nothing", async () => {
      net = await startTestDevnet({ genesisTimestamp: 1_700_000_000 });
      const coinbase = net.devnet.core.chain.validators.peekProposer().address;
      const nearMax = MAX_UINT256 - 1000n;
      await result("hardhat_setBalance", [coinbase, toBeHex(nearMax)]);
      const sender = account(1).address;
      const nonce = await result<string>("eth_getTransactionCount", [sender, "latest"]);
      const err = await refused(
        "eth_sendRawTransaction",
        [await signed(1, {})],
        -32000,
        "BALANCE_OVERFLOW",
        /fee recipient .* past 2\^256 - 1/,
      );
      assert.ok(err);
      assert.equal(BigInt(await result<string>("eth_getBalance", [coinbase, "latest"])), nearMax);
      assert.equal(await result("eth_getTransactionCount", [sender, "latest"]), nonce, "not included");
      assert.deepEqual(await result("txpool_status"), { pending: "0x0", queued: "0x0" });
      // A fee that fits is still credited.
      await result("hardhat_setBalance", [coinbase, "0x0"]);
      const hash = await result<string>("eth_sendRawTransaction", [await signed(1, {})]);
      const receipt = await result<{ status: string; blockNumber: string }>("eth_getTransactionReceipt", [hash]);
      assert.equal(receipt.status, "0x1");
      const block = await result<{ miner: string }>("eth_getBlockByNumber", [receipt.blockNumber, false]);
      assert.equal(block.miner.toLowerCase(), coinbase.toLowerCase());
      assert.ok(BigInt(await result<string>("eth_getBalance", [coinbase, "latest"])) > 0n);
    });
  });

  describe("B15: eth_sendTransaction with another chain's chainId", () => {
    it("is refused with WRONG_CHAIN_ID and nothing is mined", async () => {
      net = await startTestDevnet({ genesisTimestamp: 1_700_000_000 });
      const from = account(1).address;
      const height = await blockNumber();
      await refused(
        "eth_sendTransaction",
        [{ from, to: account(2).address, value: "0x1", chainId: "0x1" }],
        -32602,
        "WRONG_CHAIN_ID",
        /Invalid chainId 1 provided, expected 202601 instead/,
      );
      assert.equal(await blockNumber(), height);
      assert.equal(await result("eth_getTransactionCount", [from, "latest"]), "0x0");
      const hash = await result<string>("eth_sendTransaction", [
        { from, to: account(2).address, value: "0x1", chainId: toBeHex(chainId()) },
      ]);
      assert.equal((await result<{ status: string }>("eth_getTransactionReceipt", [hash])).status, "0x1", "its own chain id is fine");
    });
  });

  describe("B18: hardhat_setNonce past a pooled transaction", () => {
    it("drops it from the pool and fails its wait with NONCE_TOO_LOW", async () => {
      net = await startTestDevnet({ genesisTimestamp: 1_700_000_000, mining: { mode: "manual" } });
      const from = account(1).address;
      const hash = await result<string>("eth_sendTransaction", [{ from, to: account(2).address, value: "0x1" }]);
      const pooled = net.devnet.core.chain.pool.get(hash);
      assert.ok(pooled);
      assert.deepEqual(await result("txpool_status"), { pending: "0x1", queued: "0x0" });

      await result("hardhat_setNonce", [from, "0x1"]);
      await assert.rejects(pooled.inclusion, (err: unknown) => {
        assert.ok(err instanceof DevnetError);
        assert.equal(err.code, "NONCE_TOO_LOW");
        assert.match(err.message, /was dropped: its nonce 0 is below the nonce of .*, now 1/);
        return true;
      });
      assert.deepEqual(await result("txpool_status"), { pending: "0x0", queued: "0x0" });
      assert.equal(await result("eth_getTransactionByHash", [hash]), null);
      await result("evm_mine");
      const latest = await result<{ transactions: string[] }>("eth_getBlockByNumber", ["latest", false]);
      assert.deepEqual(latest.transactions, []);
      assert.equal(await result("eth_getTransactionCount", [from, "pending"]), "0x1");
      // As Hardhat: a nonce only moves forward (its InvalidInputError, -32000, and words); nothing changes.
      const back = await call("hardhat_setNonce", [from, "0x0"]);
      assert.equal(back.error?.code, -32000);
      assert.equal(back.error?.message, "New nonce (0) must not be smaller than the existing nonce (1)");
      assert.equal(await result("eth_getTransactionCount", [from, "latest"]), "0x1");
    });
  });

  describe("B19: user errors get user codes and whole messages", () => {
    /** A legacy transaction RLP with any field values (ethers refuses to build out-of-range ones). */
    function legacyRlp(nonce: bigint, gasPrice: bigint, gas: bigint): string {
      const fields = [nonce, gasPrice, gas].map(bigIntToUnpaddedBytes);
      const to = hexToBytes(account(2).address as `0x${string}`);
      const v = bigIntToUnpaddedBytes(chainId() * 2n + 35n);
      return `0x${Buffer.from(RLP.encode([...fields, to, new Uint8Array(), new Uint8Array(), v, Uint8Array.of(1), Uint8Array.of(1)])).toString("hex")}`;
    }

    it("unknown and unsupported transaction types: -32000, geth's 'transaction type not supported'", async () => {
      net = await startTestDevnet({ genesisTimestamp: 1_700_000_000 });
      await refused("eth_sendRawTransaction", ["0x07c0"], -32000, "UNSUPPORTED_TX_TYPE", /^transaction type not supported: type 0x7/);
      await refused("eth_sendRawTransaction", ["0x03c0"], -32000, "UNSUPPORTED_TX_TYPE", /^transaction type not supported: blob/);
      await refused(
        "eth_sendTransaction",
        [{ from: account(1).address, to: account(2).address, type: "0x7", gas: "0x5208" }],
        -32000,
        "UNSUPPORTED_TX_TYPE",
        /transaction type not supported/,
      );
    });

    it("nonce or gas past 64 bits, gas * price past 2^256, initcode past EIP-3860: -32602 with the reason", async () => {
      net = await startTestDevnet({ genesisTimestamp: 1_700_000_000 });
      const from = account(1).address;
      const to = account(2).address;
      const big = toBeHex(2n ** 64n);
      await refused("eth_sendTransaction", [{ from, to, nonce: big }], -32602, "INVALID_PARAMS", /nonce .* must be below 2\^64/);
      await refused("eth_sendTransaction", [{ from, to, gas: big }], -32602, "INVALID_PARAMS", /gas .* must fit in 64 bits/);
      await refused("eth_estimateGas", [{ from, to, gas: big }], -32602, "INVALID_PARAMS", /gas .* must fit in 64 bits/);
      await refused(
        "eth_sendTransaction",
        [{ from, to, gas: "0x5208", gasPrice: toBeHex(2n ** 250n) }],
        -32602,
        "INVALID_PARAMS",
        /gas \* price overflows/,
      );
      await refused(
        "eth_sendTransaction",
        [{ from, to, gas: "0x5208", maxFeePerGas: toBeHex(2n ** 250n), maxPriorityFeePerGas: "0x1" }],
        -32602,
        "INVALID_PARAMS",
        /gas \* price overflows/,
      );
      const initcode = `0x${"00".repeat(49_153)}`;
      await refused(
        "eth_sendTransaction",
        [{ from, data: initcode, gas: toBeHex(20_000_000n) }],
        -32602,
        "INVALID_PARAMS",
        /init code length is 49153: the max length allowed by EIP-3860 is 49152/,
      );
      await refused("eth_estimateGas", [{ from, data: initcode }], -32602, "INVALID_PARAMS", /EIP-3860/);
      await refused("eth_sendRawTransaction", [legacyRlp(2n ** 64n, GWEI, 21_000n)], -32602, "INVALID_PARAMS", /nonce must be below 2\^64/);
      await refused("eth_sendRawTransaction", [legacyRlp(0n, GWEI, 2n ** 64n)], -32602, "INVALID_PARAMS", /gas limit must fit in 64 bits/);
      await refused("eth_sendRawTransaction", [legacyRlp(0n, 2n ** 250n, 21_000n)], -32602, "INVALID_PARAMS", /gas \* price overflows/);
      assert.equal(await blockNumber(), 0n, "nothing was mined");
    });

    it("an estimate whose gas is below the intrinsic cost: INTRINSIC_GAS_TOO_LOW in admission's words (no library code prefix)", async () => {
      net = await startTestDevnet({ genesisTimestamp: 1_700_000_000 });
      await result("evm_setBlockGasLimit", ["0x3"]); // the pending block holds 3 gas: every estimate starts below 21000
      const req = { from: account(1).address, to: account(2).address };
      for (const method of ["eth_sendTransaction", "eth_estimateGas"]) {
        const err = await refused(
          method,
          [req],
          -32000,
          "INTRINSIC_GAS_TOO_LOW",
          /^intrinsic gas too low: gas limit 3, at least 21000 needed$/,
        );
        assert.doesNotMatch(err.message, /INTRINSIC_GAS_TOO_LOW:/);
      }
      assert.equal(await blockNumber(), 0n, "nothing was mined");
    });

    it("eth_estimateGas's insufficient funds message is whole", async () => {
      net = await startTestDevnet({ genesisTimestamp: 1_700_000_000 });
      const poor = "0x0000000000000000000000000000000000000bad";
      const err = await refused(
        "eth_estimateGas",
        [{ from: poor, to: account(2).address, value: "0x1" }],
        -32000,
        "INSUFFICIENT_FUNDS",
        /insufficient funds for gas \* price \+ value/,
      );
      assert.match(err.message, /only has: 0$/, `cut off: ${err.message}`);
    });

    it("a pooled transaction in a state file with numbers out of range: STATE_FILE_INVALID, not an internal error", async () => {
      net = await startTestDevnet({ genesisTimestamp: 1_700_000_000 });
      // A real dump, with one pooled transaction whose nonce is past 2^64 - 1, through anvil_loadState.
      const dump = JSON.parse(gunzipSync(Buffer.from((await result<string>("anvil_dumpState")).slice(2), "hex")).toString("utf8"));
      dump.pool = [{ raw: legacyRlp(2n ** 64n, GWEI, 21_000n), sender: account(1).address.toLowerCase() }];
      const tampered = `0x${gzipSync(JSON.stringify(dump)).toString("hex")}`;
      await refused("anvil_loadState", [tampered], -32000, "STATE_FILE_INVALID", /pooled transaction 0: .*nonce must be below 2\^64/);
      assert.equal(await blockNumber(), 0n, "nothing changed");
    });
  });

  describe("C22: a failed transaction under automine", () => {
    let counterArtifact: CompiledContract;
    before(async function () {
      this.timeout(120_000);
      counterArtifact = await getContract("Counter");
    });

    async function deployCounter(provider: JsonRpcProvider): Promise<{ counter: Contract; signer: Wallet }> {
      const signer = new Wallet(account(1).privateKey, provider);
      const factory = new ContractFactory(counterArtifact.abi as InterfaceAbi, counterArtifact.bytecode, signer);
      const counter = (await factory.deploy(0n)) as Contract;
      await counter.waitForDeployment();
      return { counter, signer };
    }

    /** What ethers hands over of the JSON-RPC error: hardhat-chai-matchers reads `error.data`. */
    function rpcErrorOf(err: unknown): RpcErrorObject {
      const inner = (err as { error?: RpcErrorObject }).error;
      assert.ok(inner, `expected a JSON-RPC error, got ${String(err)}`);
      return inner;
    }

    it("answers Hardhat's error: the message, the revert data and the transaction hash; the receipt has status 0", async () => {
      net = await startTestDevnet({ genesisTimestamp: 1_700_000_000 });
      const provider = new JsonRpcProvider(net.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
      try {
        const { counter, signer } = await deployCounter(provider);
        const iface = new Interface(counterArtifact.abi as InterfaceAbi);
        const cases: { data: string; message: RegExp; decoded: (d: string) => void }[] = [
          {
            data: iface.encodeFunctionData("incrementBy", [0n]),
            message: /^VM Exception while processing transaction: reverted with reason string 'amount must be positive'$/,
            decoded: (d) => assert.equal(iface.parseError(d)?.args[0], "amount must be positive"),
          },
          {
            data: iface.encodeFunctionData("incrementBy", [5000n]),
            message: /^VM Exception while processing transaction: reverted with an unrecognized custom error \(return data: 0x/,
            decoded: (d) => {
              const parsed = iface.parseError(d);
              assert.equal(parsed?.name, "TooLarge");
              assert.deepEqual([...(parsed?.args ?? [])], [5000n, 1000n]);
            },
          },
          {
            data: iface.encodeFunctionData("divide", [0n]),
            message: /^VM Exception while processing transaction: reverted with panic code 0x12 \(Division or modulo division by zero\)$/,
            decoded: (d) => assert.equal(iface.parseError(d)?.args[0], 0x12n),
          },
        ];
        for (const c of cases) {
          const nonce = await signer.getNonce("latest");
          const err = await signer.sendTransaction({ to: await counter.getAddress(), data: c.data, gasLimit: 100_000n }).then(
            () => assert.fail("the send must answer an error"),
            (e: unknown) => e,
          );
          const rpc = rpcErrorOf(err);
          assert.equal(rpc.code, -32000);
          assert.match(rpc.message, c.message);
          assert.equal(rpc.data?.code, "TRANSACTION_FAILED");
          assert.equal(rpc.data?.message, rpc.message);
          const txHash = rpc.data?.txHash;
          assert.match(txHash ?? "", /^0x[0-9a-f]{64}$/);
          c.decoded(rpc.data?.data ?? "0x");
          const receipt = await provider.getTransactionReceipt(txHash as string);
          assert.equal(receipt?.status, 0, "mined, status 0");
          assert.equal(await signer.getNonce("latest"), nonce + 1, "the failure used the nonce");
        }
        assert.equal(await counter.getFunction("count")(), 0n);
      } finally {
        provider.destroy();
      }
    });

    it("with throwOnTransactionFailures: false, the send answers the hash and the receipt has status 0 (Anvil's way)", async () => {
      net = await startTestDevnet({ genesisTimestamp: 1_700_000_000, throwOnTransactionFailures: false });
      const provider = new JsonRpcProvider(net.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
      try {
        const { counter } = await deployCounter(provider);
        const tx = await counter.getFunction("incrementBy")(0n, { gasLimit: 100_000n });
        await assert.rejects(tx.wait(), (err: unknown) => {
          assert.ok(isError(err, "CALL_EXCEPTION"), String(err));
          assert.equal(err.receipt?.status, 0);
          return true;
        });
      } finally {
        provider.destroy();
      }
    });

    it("without automine the send answers the hash; the failure shows in the receipt", async () => {
      net = await startTestDevnet({ genesisTimestamp: 1_700_000_000 });
      const provider = new JsonRpcProvider(net.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
      try {
        const { counter } = await deployCounter(provider);
        await result("evm_setAutomine", [false]);
        const tx = await counter.getFunction("incrementBy")(0n, { gasLimit: 100_000n });
        await result("evm_mine");
        assert.equal((await provider.getTransactionReceipt(tx.hash))?.status, 0);
      } finally {
        provider.destroy();
      }
    });
  });
});
