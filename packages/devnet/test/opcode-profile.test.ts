// The EVM opcode profile: on Bitlayer (default) 0x44 is DIFFICULTY (2 in turn, 1 otherwise), BLOBHASH and
// BLOBBASEFEE are invalid, TSTORE/MCOPY work, no blob transactions; the "cancun" and "prague" profiles have
// PREVRANDAO and the blob opcodes. In process (devnet.request).

import assert from "node:assert/strict";
import { Interface, type InterfaceAbi, toBeHex, Wallet } from "ethers";
import { createDevnet, type Devnet, type DevnetOptions, ProviderRpcError } from "../src/index.js";
import { type CompiledContract, getContract } from "./support/solc.js";

interface Receipt {
  status: string;
  gasUsed: string;
  blockNumber: string;
  contractAddress: string | null;
  logs: { topics: string[]; data: string }[];
}

/** Runtime code: run `op` (with `pre` before it), store the top of the stack at 0, return 32 bytes. */
const returnsTopOf = (pre: string, op: string) => `0x${pre}${op}5f5260205ff3`;
const RUNTIME = {
  TIMESTAMP: returnsTopOf("", "42"),
  PREVRANDAO: returnsTopOf("", "44"),
  BLOBHASH: returnsTopOf("5f", "49"), // BLOBHASH(0)
  BLOBBASEFEE: returnsTopOf("", "4a"),
  TLOAD: returnsTopOf("602a5f5d5f", "5c"), // TSTORE(0, 42), TLOAD(0)
  MCOPY: returnsTopOf("602a5f5260205f60205e6020", "51"), // MSTORE(0, 42), MCOPY(32, 0, 32), MLOAD(32)
};
const REMOVED = ["BLOBHASH", "BLOBBASEFEE"] as const;

function isRpcError(err: unknown, reason: string, code?: number): err is ProviderRpcError {
  assert.ok(err instanceof ProviderRpcError, `expected a ProviderRpcError, got ${String(err)}`);
  assert.equal(err.reason, reason, err.message);
  if (code !== undefined) assert.equal(err.code, code, err.message);
  return true;
}

describe("EVM opcode profiles", function () {
  this.timeout(30_000);

  let randomness: CompiledContract;
  let blobHash: CompiledContract;
  let randomnessIface: Interface;
  let blobIface: Interface;
  const devnets: Devnet[] = [];

  async function start(options: DevnetOptions = {}): Promise<Devnet> {
    const devnet = await createDevnet({ genesisTimestamp: 1_700_000_000, ...options });
    devnets.push(devnet);
    return devnet;
  }

  const rpc = <T>(devnet: Devnet, method: string, params: unknown[] = []) => devnet.request({ method, params }) as Promise<T>;

  async function deploy(devnet: Devnet, artifact: CompiledContract): Promise<string> {
    const from = devnet.accounts[0].address;
    const hash = await rpc<string>(devnet, "eth_sendTransaction", [{ from, data: artifact.bytecode }]);
    const receipt = await rpc<Receipt>(devnet, "eth_getTransactionReceipt", [hash]);
    assert.equal(receipt.status, "0x1", "deployment succeeds: the constructor does not use the opcodes");
    assert.ok(receipt.contractAddress);
    return receipt.contractAddress;
  }

  /** Installs raw runtime code at a fresh address. */
  async function plant(devnet: Devnet, code: string, n: number): Promise<string> {
    const address = `0x${(0xc0de00 + n).toString(16).padStart(40, "0")}`;
    await rpc(devnet, "hardhat_setCode", [address, code]);
    return address;
  }

  before(() => {
    randomness = getContract("Randomness");
    blobHash = getContract("BlobHash");
    randomnessIface = new Interface(randomness.abi as InterfaceAbi);
    blobIface = new Interface(blobHash.abi as InterfaceAbi);
  });

  afterEach(async () => {
    await Promise.all(devnets.splice(0).map((d) => d.close()));
  });

  describe("bitlayer (default)", () => {
    it("is the default profile", async () => {
      const devnet = await start();
      assert.equal((await rpc<{ profile: string }>(devnet, "hardhat_metadata")).profile, "bitlayer");
    });

    it("0x44 is DIFFICULTY: 2 on in-turn blocks, 1 otherwise, matching the header (mined and eth_call)", async () => {
      const devnet = await start();
      const warnings: string[] = [];
      devnet.core.chain.on("warning", (w) => warnings.push(w));
      const address = await deploy(devnet, randomness);
      // Bitlayer's engine (merlion Snapshot.inturn): validators sorted by address, index number mod count.
      const sorted = devnet.core.chain.validators.validators.map((v) => BigInt(v.address)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const seen = new Set<bigint>();
      for (let i = 0; i < 8; i++) {
        const hash = await rpc<string>(devnet, "eth_sendTransaction", [
          { from: devnet.accounts[0].address, to: address, data: randomnessIface.encodeFunctionData("record") },
        ]);
        const receipt = await rpc<Receipt>(devnet, "eth_getTransactionReceipt", [hash]);
        assert.equal(receipt.status, "0x1");
        const block = await rpc<{ difficulty: string; miner: string; number: string }>(devnet, "eth_getBlockByNumber", [
          receipt.blockNumber,
          false,
        ]);
        const difficulty = BigInt(block.difficulty);
        const inTurn = sorted[Number(BigInt(block.number) % BigInt(sorted.length))] === BigInt(block.miner);
        assert.equal(difficulty, inTurn ? 2n : 1n, `block ${block.number} by ${block.miner}`);
        seen.add(difficulty);
        const event = randomnessIface.parseLog(receipt.logs[0]);
        assert.equal(event?.args.value, difficulty, "the contract read the header's difficulty");
        // eth_call at latest runs in the latest block: it reads that block's difficulty.
        const current = await rpc<string>(devnet, "eth_call", [{ to: address, data: randomnessIface.encodeFunctionData("current") }]);
        assert.equal(BigInt(current), difficulty);
      }
      assert.deepEqual([...seen].sort(), [1n, 2n], "both in-turn and out-of-turn blocks occur");
      assert.equal(warnings.length, 1, `one warning per contract: ${warnings.join(" | ")}`);
      assert.match(warnings[0], new RegExp(address.slice(2), "i"));
      assert.match(warnings[0], /0x44|difficulty/i);
    });

    it("blobhash() fails as an invalid opcode (eth_call, estimateGas, a mined transaction)", async () => {
      const devnet = await start();
      const blob = await deploy(devnet, blobHash);
      const call = { from: devnet.accounts[0].address, to: blob, data: blobIface.encodeFunctionData("firstBlobHash") };
      await assert.rejects(rpc(devnet, "eth_call", [call]), (err: unknown) => {
        isRpcError(err, "EXECUTION_REVERTED", 3);
        assert.match((err as Error).message, /invalid opcode/i);
        return true;
      });
      await assert.rejects(rpc(devnet, "eth_estimateGas", [call]), (err: unknown) => isRpcError(err, "EXECUTION_REVERTED", 3));
      const gas = 80_000n;
      // Under automine the send answers Hardhat's error for a failed transaction; it was mined all the same.
      let hash = "";
      await assert.rejects(rpc(devnet, "eth_sendTransaction", [{ ...call, gas: toBeHex(gas) }]), (err: unknown) => {
        isRpcError(err, "TRANSACTION_FAILED", -32000);
        assert.match((err as Error).message, /VM Exception while processing transaction: invalid opcode/);
        hash = (err as ProviderRpcError & { data: { txHash: string } }).data.txHash;
        return true;
      });
      const receipt = await rpc<Receipt>(devnet, "eth_getTransactionReceipt", [hash]);
      assert.equal(receipt.status, "0x0");
      assert.equal(BigInt(receipt.gasUsed), gas, "an invalid opcode consumes all the gas");
    });

    it("BLOBHASH (0x49) and BLOBBASEFEE (0x4a) are invalid in raw code; TSTORE/TLOAD and MCOPY work", async () => {
      const devnet = await start();
      for (const [i, name] of REMOVED.entries()) {
        const address = await plant(devnet, RUNTIME[name], i);
        await assert.rejects(rpc(devnet, "eth_call", [{ to: address }]), (err: unknown) => {
          isRpcError(err, "EXECUTION_REVERTED", 3);
          assert.match((err as Error).message, /invalid opcode/i, name);
          return true;
        });
      }
      const transient = await plant(devnet, RUNTIME.TLOAD, 7);
      assert.equal(BigInt(await rpc<string>(devnet, "eth_call", [{ to: transient }])), 42n, "TSTORE then TLOAD");
      const mcopy = await plant(devnet, RUNTIME.MCOPY, 8);
      assert.equal(BigInt(await rpc<string>(devnet, "eth_call", [{ to: mcopy }])), 42n, "MCOPY copied the word");
      const clock = await plant(devnet, RUNTIME.TIMESTAMP, 9);
      const block = await rpc<{ timestamp: string }>(devnet, "eth_getBlockByNumber", ["latest", false]);
      assert.equal(
        BigInt(await rpc<string>(devnet, "eth_call", [{ to: clock }])),
        BigInt(block.timestamp),
        "latest: the latest block's time",
      );
    });

    it("EIP-6780: SELFDESTRUCT keeps an existing contract's code and storage, and removes one created in the same transaction", async () => {
      const devnet = await start();
      const from = devnet.accounts[0].address;
      const beneficiary = "0x000000000000000000000000000000000000bEEF";
      // SSTORE(0, 1) is already there; runtime: SELFDESTRUCT(beneficiary).
      const runtime = `0x73${beneficiary.slice(2).toLowerCase()}ff`;
      const doomed = await plant(devnet, runtime, 10);
      await rpc(devnet, "hardhat_setStorageAt", [doomed, "0x0", toBeHex(1, 32)]);
      await rpc(devnet, "hardhat_setBalance", [doomed, "0x64"]);
      const hash = await rpc<string>(devnet, "eth_sendTransaction", [{ from, to: doomed, gas: "0x186a0" }]);
      assert.equal((await rpc<Receipt>(devnet, "eth_getTransactionReceipt", [hash])).status, "0x1");
      assert.equal(await rpc(devnet, "eth_getCode", [doomed, "latest"]), runtime, "the code stays (pre-Cancun it was removed)");
      assert.equal(BigInt(await rpc<string>(devnet, "eth_getStorageAt", [doomed, "0x0", "latest"])), 1n, "the storage stays");
      assert.equal(await rpc(devnet, "eth_getBalance", [doomed, "latest"]), "0x0");
      assert.equal(await rpc(devnet, "eth_getBalance", [beneficiary, "latest"]), "0x64", "the balance moved");

      // Init code that self-destructs: the contract created in this transaction is gone.
      const created = await rpc<string>(devnet, "eth_sendTransaction", [{ from, data: `0x73${beneficiary.slice(2)}ff`, gas: "0x186a0" }]);
      const receipt = await rpc<Receipt>(devnet, "eth_getTransactionReceipt", [created]);
      assert.equal(receipt.status, "0x1");
      assert.equal(await rpc(devnet, "eth_getCode", [receipt.contractAddress, "latest"]), "0x");
    });
  });

  for (const profile of ["cancun", "prague"] as const) {
    describe(profile, () => {
      it("block.prevrandao works: eth_call, and a mined record() stores the block's mixHash", async () => {
        const devnet = await start({ hardfork: profile });
        assert.equal((await rpc<{ profile: string }>(devnet, "hardhat_metadata")).profile, profile);
        const address = await deploy(devnet, randomness);
        const current = BigInt(
          await rpc<string>(devnet, "eth_call", [{ to: address, data: randomnessIface.encodeFunctionData("current") }]),
        );
        assert.ok(current > 0n, "a non-zero random value");

        const hash = await rpc<string>(devnet, "eth_sendTransaction", [
          { from: devnet.accounts[0].address, to: address, data: randomnessIface.encodeFunctionData("record") },
        ]);
        const receipt = await rpc<Receipt>(devnet, "eth_getTransactionReceipt", [hash]);
        assert.equal(receipt.status, "0x1");
        const block = await rpc<{ mixHash: string }>(devnet, "eth_getBlockByNumber", [receipt.blockNumber, false]);
        const stored = BigInt(
          await rpc<string>(devnet, "eth_call", [{ to: address, data: randomnessIface.encodeFunctionData("lastRandom") }]),
        );
        assert.equal(toBeHex(stored, 32), block.mixHash, "PREVRANDAO is the block's mixHash");
        const event = randomnessIface.parseLog(receipt.logs[0]);
        assert.equal(event?.name, "Random");
        assert.equal(event?.args.value, stored);
      });

      it("blobhash(0) is zero and BLOBBASEFEE answers (no blobs on the devnet)", async () => {
        const devnet = await start({ hardfork: profile });
        const blob = await deploy(devnet, blobHash);
        const first = await rpc<string>(devnet, "eth_call", [{ to: blob, data: blobIface.encodeFunctionData("firstBlobHash") }]);
        assert.equal(BigInt(first), 0n);
        for (const [i, name] of (["PREVRANDAO", ...REMOVED] as const).entries()) {
          const address = await plant(devnet, RUNTIME[name], i);
          const out = await rpc<string>(devnet, "eth_call", [{ to: address }]);
          assert.equal(out.length, 66, `${name} runs`);
        }
      });
    });
  }

  describe("blob (type 3) transactions", () => {
    /** A transfer from account 1 to account 2, signed; `blob` makes it type 3. */
    function signedTransfer(devnet: Devnet, blob: boolean): Promise<string> {
      return new Wallet(devnet.accounts[1].privateKey).signTransaction({
        type: blob ? 3 : 2,
        chainId: devnet.chainId,
        nonce: 0,
        to: devnet.accounts[2].address,
        value: 1n,
        gasLimit: 21_000n,
        maxFeePerGas: 10n ** 11n,
        maxPriorityFeePerGas: 10n ** 9n,
        ...(blob ? { maxFeePerBlobGas: 10n ** 9n, blobVersionedHashes: [`0x01${"00".repeat(31)}`] } : {}),
      });
    }

    for (const profile of ["bitlayer", "cancun"] as const) {
      it(`eth_sendRawTransaction refuses a type-3 transaction with a clear error (${profile})`, async () => {
        const devnet = await start({ hardfork: profile });
        const raw = await signedTransfer(devnet, true);
        const sender = devnet.accounts[1].address;
        const height = await rpc(devnet, "eth_blockNumber");
        await assert.rejects(rpc(devnet, "eth_sendRawTransaction", [raw]), (err: unknown) => {
          // geth's code and wording for a type it does not take: wallets show it as what it is.
          isRpcError(err, "UNSUPPORTED_TX_TYPE", -32000);
          const message = (err as Error).message;
          assert.match(message, /^transaction type not supported/);
          assert.match(message, /blob/i);
          assert.match(message, /type 3|type-3|EIP-4844/i, `names the transaction type: ${message}`);
          assert.doesNotMatch(message, /kzg|customCrypto|common object/i, `no library internals: ${message}`);
          return true;
        });
        assert.equal(await rpc(devnet, "eth_blockNumber"), height);
        assert.equal(await rpc(devnet, "eth_getTransactionCount", [sender, "pending"]), "0x0");
        assert.deepEqual(await rpc(devnet, "txpool_status"), { pending: "0x0", queued: "0x0" });
        // The chain still takes ordinary transactions from that sender.
        const ok = await signedTransfer(devnet, false);
        await rpc(devnet, "eth_sendRawTransaction", [ok]);
        assert.equal(await rpc(devnet, "eth_getTransactionCount", [sender, "latest"]), "0x1");
      });
    }

    it("eth_sendTransaction with blob fields is refused with a clear error", async () => {
      const devnet = await start();
      const from = devnet.accounts[0].address;
      const request = { from, to: from, blobVersionedHashes: [`0x01${"00".repeat(31)}`], maxFeePerBlobGas: "0x1" };
      for (const withGas of [false, true]) {
        await assert.rejects(rpc(devnet, "eth_sendTransaction", [withGas ? { ...request, gas: "0x5208" } : request]), (err: unknown) => {
          isRpcError(err, "UNSUPPORTED_TX_TYPE", -32000);
          assert.match((err as Error).message, /^transaction type not supported: .*blob/i);
          return true;
        });
      }
      assert.equal(await rpc(devnet, "eth_getTransactionCount", [from, "pending"]), "0x0");
    });
  });
});
