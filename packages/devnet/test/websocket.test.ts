// WebSocket JSON-RPC and eth_subscribe: newHeads, logs, newPendingTransactions, eth_unsubscribe,
// with the `ws` package directly (exact frames) and with ethers' WebSocketProvider.

import assert from "node:assert/strict";
import { Contract, Interface, type InterfaceAbi, type Log, WebSocketProvider, zeroPadValue } from "ethers";
import WebSocket from "ws";
import { startTestDevnet, type TestDevnet } from "./support/server.js";
import { type CompiledContract, getContract } from "./support/solc.js";

interface RpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

interface Notification {
  subscription: string;
  result: unknown;
}

interface RpcHeader {
  hash: string;
  parentHash: string;
  number: string;
  miner: string;
  timestamp: string;
  baseFeePerGas: string;
  stateRoot: string;
  gasUsed: string;
}

interface RpcLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  blockHash: string;
  transactionHash: string;
  transactionIndex: string;
  logIndex: string;
  removed: boolean;
}

/** A minimal JSON-RPC client over one WebSocket, keeping every notification it receives. */
class WsClient {
  readonly notifications: Notification[] = [];
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly waiters: (() => void)[] = [];
  private nextId = 1;

  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data) => {
      const msg = JSON.parse(data.toString()) as {
        id?: number;
        result?: unknown;
        error?: RpcErrorObject;
        method?: string;
        params?: Notification;
      };
      if (msg.method === "eth_subscription" && msg.params) {
        this.notifications.push(msg.params);
        for (const wake of this.waiters.splice(0)) wake();
        return;
      }
      const call = msg.id === undefined ? undefined : this.pending.get(msg.id);
      if (!call) return;
      this.pending.delete(msg.id as number);
      if (msg.error) call.reject(Object.assign(new Error(msg.error.message), { rpc: msg.error }));
      else call.resolve(msg.result);
    });
  }

  static connect(url: string): Promise<WsClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.once("open", () => resolve(new WsClient(socket)));
      socket.once("error", reject);
    });
  }

  request<T>(method: string, params: unknown[] = []): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.socket.send(JSON.stringify({ jsonrpc: "2.0", id, method, params }));
    });
  }

  /** Notifications of one subscription received so far. */
  of<T>(subscription: string): T[] {
    return this.notifications.filter((n) => n.subscription === subscription).map((n) => n.result as T);
  }

  /** Waits until `subscription` has at least `count` notifications; fails after `timeoutMs`. */
  async waitFor<T>(subscription: string, count: number, timeoutMs = 5000): Promise<T[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.of(subscription).length < count) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`timed out waiting for ${count} notification(s) on ${subscription}; got ${this.of(subscription).length}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.of<T>(subscription);
  }

  close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once("close", () => resolve());
      this.socket.close();
    });
  }
}

/** Gives the server time to push anything it (wrongly) still would. */
const quiet = (ms = 150) => new Promise((r) => setTimeout(r, ms));

describe("WebSocket JSON-RPC and subscriptions", function () {
  this.timeout(30_000);

  let net: TestDevnet;
  let counterArtifact: CompiledContract;
  let counterIface: Interface;
  let deployer: string;
  const clients: WsClient[] = [];

  const request = <T>(method: string, params: unknown[] = []) => net.devnet.request({ method, params }) as Promise<T>;

  async function connect(): Promise<WsClient> {
    const c = await WsClient.connect(net.wsUrl);
    clients.push(c);
    return c;
  }

  async function deployCounter(initial: bigint): Promise<string> {
    const data = counterArtifact.bytecode + counterIface.encodeDeploy([initial]).slice(2);
    const hash = await request<string>("eth_sendTransaction", [{ from: deployer, data }]);
    const receipt = await request<{ contractAddress: string }>("eth_getTransactionReceipt", [hash]);
    return receipt.contractAddress;
  }

  async function callCounter(address: string, from: string, fn: string, args: unknown[] = []): Promise<string> {
    return request<string>("eth_sendTransaction", [{ from, to: address, data: counterIface.encodeFunctionData(fn, args) }]);
  }

  before(async () => {
    counterArtifact = getContract("Counter");
    counterIface = new Interface(counterArtifact.abi as InterfaceAbi);
    net = await startTestDevnet({ genesisTimestamp: 1_700_000_000 });
    deployer = net.devnet.accounts[0].address;
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });

  after(async () => {
    await net?.close();
  });

  it("answers plain JSON-RPC requests and batches over WebSocket", async () => {
    const ws = await connect();
    assert.equal(await ws.request("eth_chainId"), `0x${net.devnet.chainId.toString(16)}`);
    const batch = await new Promise<{ id: number; result: unknown }[]>((resolve) => {
      ws.socket.once("message", (data) => resolve(JSON.parse(data.toString())));
      ws.socket.send(
        JSON.stringify([
          { jsonrpc: "2.0", id: 10, method: "eth_blockNumber" },
          { jsonrpc: "2.0", id: 11, method: "net_version" },
        ]),
      );
    });
    assert.deepEqual(batch.map((r) => r.id).sort(), [10, 11]);
    assert.equal(batch.find((r) => r.id === 11)?.result, net.devnet.chainId.toString());
  });

  it("newHeads: one notification per mined block, matching eth_getBlockByNumber", async () => {
    const ws = await connect();
    const sub = await ws.request<string>("eth_subscribe", ["newHeads"]);
    assert.match(sub, /^0x[0-9a-f]+$/);
    const start = BigInt(await request<string>("eth_blockNumber"));

    await ws.request("evm_mine");
    await request("hardhat_mine", ["0x2"]);
    // A transaction mined by automine also produces a head.
    await request("eth_sendTransaction", [{ from: deployer, to: deployer, value: "0x1" }]);

    const heads = await ws.waitFor<RpcHeader>(sub, 4);
    assert.deepEqual(
      heads.map((h) => BigInt(h.number)),
      [start + 1n, start + 2n, start + 3n, start + 4n],
    );
    for (const h of heads) {
      const block = await request<RpcHeader & { transactions: string[] }>("eth_getBlockByNumber", [h.number, false]);
      assert.equal(h.hash, block.hash);
      assert.equal(h.parentHash, block.parentHash);
      assert.equal(h.miner, block.miner);
      assert.equal(h.timestamp, block.timestamp);
      assert.equal(h.baseFeePerGas, block.baseFeePerGas);
      assert.equal(h.stateRoot, block.stateRoot);
      assert.equal("transactions" in h, false, "a header, not a block");
    }
    for (let i = 1; i < heads.length; i++) assert.equal(heads[i].parentHash, heads[i - 1].hash);
    assert.notEqual(heads[3].gasUsed, "0x0");
  });

  it("logs: a subscription filtered by address and topic receives the matching events only", async () => {
    const a = await deployCounter(1n);
    const b = await deployCounter(1n);
    const alice = net.devnet.accounts[1].address;
    const bob = net.devnet.accounts[2].address;
    const topic0 = counterIface.getEvent("Incremented")?.topicHash as string;

    const ws = await connect();
    const byAddress = await ws.request<string>("eth_subscribe", ["logs", { address: a }]);
    const byTopic = await ws.request<string>("eth_subscribe", ["logs", { address: a, topics: [topic0, zeroPadValue(alice, 32)] }]);
    const otherEvent = await ws.request<string>("eth_subscribe", ["logs", { topics: [`0x${"ee".repeat(32)}`] }]);

    await callCounter(b, alice, "incrementBy", [5n]); // other contract: nobody
    const bobTx = await callCounter(a, bob, "incrementBy", [6n]); // a, by bob: byAddress only
    const aliceTx = await callCounter(a, alice, "incrementBy", [7n]); // a, by alice: both

    const forAddress = await ws.waitFor<RpcLog>(byAddress, 2);
    const forTopic = await ws.waitFor<RpcLog>(byTopic, 1);
    await quiet();
    assert.equal(ws.of(byAddress).length, 2);
    assert.equal(ws.of(byTopic).length, 1);
    assert.equal(ws.of(otherEvent).length, 0);

    assert.deepEqual(
      forAddress.map((l) => l.transactionHash),
      [bobTx, aliceTx],
    );
    const log = forTopic[0];
    assert.equal(log.transactionHash, aliceTx);
    assert.equal(log.address, a.toLowerCase());
    assert.equal(log.removed, false);
    const parsed = counterIface.parseLog(log);
    assert.equal(parsed?.name, "Incremented");
    assert.equal(parsed?.args.by, alice);
    assert.equal(parsed?.args.newCount, 1n + 6n + 7n);
    assert.equal(parsed?.args.amount, 7n);
    // The notification is the same log eth_getLogs returns.
    const fromGetLogs = await request<RpcLog[]>("eth_getLogs", [{ blockHash: log.blockHash, address: a }]);
    assert.deepEqual(fromGetLogs, [log]);
  });

  it("newPendingTransactions: hashes arrive when transactions are pooled (manual mining)", async () => {
    const ws = await connect();
    const sub = await ws.request<string>("eth_subscribe", ["newPendingTransactions"]);
    await request("evm_setAutomine", [false]);
    try {
      const from = net.devnet.accounts[3].address;
      const h1 = await request<string>("eth_sendTransaction", [{ from, to: from, value: "0x1" }]);
      const h2 = await request<string>("eth_sendTransaction", [{ from, to: from, value: "0x2" }]);
      const hashes = await ws.waitFor<string>(sub, 2);
      assert.deepEqual(hashes, [h1, h2]);
      assert.equal(await request("eth_getTransactionReceipt", [h1]), null, "announced while still pending");
      await request("evm_mine");
      await quiet();
      assert.equal(ws.of(sub).length, 2, "mining does not announce them again");
      assert.notEqual(await request("eth_getTransactionReceipt", [h2]), null);
    } finally {
      await request("evm_setAutomine", [true]);
    }
  });

  it("eth_unsubscribe stops the notifications; a second eth_unsubscribe returns false", async () => {
    const ws = await connect();
    const heads = await ws.request<string>("eth_subscribe", ["newHeads"]);
    const logs = await ws.request<string>("eth_subscribe", ["logs", {}]);
    const pending = await ws.request<string>("eth_subscribe", ["newPendingTransactions"]);
    const from = net.devnet.accounts[4].address;
    const counter = await deployCounter(0n);
    await ws.waitFor(heads, 1);
    await ws.waitFor(pending, 1);

    for (const id of [heads, logs, pending]) assert.equal(await ws.request("eth_unsubscribe", [id]), true);
    const counts = [heads, logs, pending].map((id) => ws.of(id).length);

    await callCounter(counter, from, "increment");
    await request("evm_mine");
    await quiet();
    assert.deepEqual(
      [heads, logs, pending].map((id) => ws.of(id).length),
      counts,
      "no notification after eth_unsubscribe",
    );
    assert.equal(await ws.request("eth_unsubscribe", [heads]), false);
    assert.equal(await ws.request("eth_unsubscribe", ["0x1234"]), false);
  });

  it("another connection's subscriptions are not affected by an unsubscribe, and closing a socket ends its subscriptions", async () => {
    const before = net.devnet.core.subscriptions.size;
    const first = await connect();
    const second = await connect();
    const s1 = await first.request<string>("eth_subscribe", ["newHeads"]);
    const s2 = await second.request<string>("eth_subscribe", ["newHeads"]);
    assert.notEqual(s1, s2);
    assert.equal(net.devnet.core.subscriptions.size, before + 2);

    assert.equal(await first.request("eth_unsubscribe", [s1]), true);
    await request("evm_mine");
    await second.waitFor(s2, 1);
    assert.equal(first.of(s1).length, 0);

    await second.close();
    // The server notices the close asynchronously.
    const deadline = Date.now() + 2000;
    while (net.devnet.core.subscriptions.size > before && Date.now() < deadline) await quiet(20);
    assert.equal(net.devnet.core.subscriptions.size, before, "the closed socket's subscription is gone");
    await request("evm_mine"); // must not throw while notifying a closed socket
    assert.equal(await first.request("eth_chainId"), `0x${net.devnet.chainId.toString(16)}`);
  });

  it("eth_subscribe is refused over HTTP (no way to notify) and for an unknown kind", async () => {
    const res = await fetch(net.url, {
      method: "POST",
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_subscribe", params: ["newHeads"] }),
    });
    const body = (await res.json()) as { error?: RpcErrorObject };
    assert.equal(body.error?.code, -32600);
    assert.match(body.error?.message ?? "", /WebSocket/);

    const ws = await connect();
    await assert.rejects(ws.request("eth_subscribe", ["syncing2"]), (err: Error & { rpc?: RpcErrorObject }) => {
      assert.equal(err.rpc?.code, -32602);
      assert.match(err.rpc?.message ?? "", /kind/);
      return true;
    });
  });

  describe("with ethers WebSocketProvider", () => {
    let provider: WebSocketProvider | undefined;

    afterEach(async () => {
      await provider?.destroy();
      provider = undefined;
    });

    it("block events and contract events arrive through eth_subscribe", async () => {
      // Earlier tests' sockets are closed; let the server finish dropping their subscriptions.
      const settle = Date.now() + 2000;
      while (net.devnet.core.subscriptions.size > 0 && Date.now() < settle) await quiet(20);
      assert.equal(net.devnet.core.subscriptions.size, 0);
      provider = new WebSocketProvider(net.wsUrl);
      const counterAddress = await deployCounter(10n);
      const counter = new Contract(counterAddress, counterArtifact.abi as InterfaceAbi, provider);

      const blocks: number[] = [];
      const gotBlock = new Promise<void>((resolve) => {
        void provider?.on("block", (n: number) => {
          blocks.push(n);
          resolve();
        });
      });
      const gotEvent = new Promise<{ by: string; newCount: bigint; amount: bigint; log: Log }>((resolve) => {
        void counter.on("Incremented", (by: string, newCount: bigint, amount: bigint, event: { log: Log }) =>
          resolve({ by, newCount, amount, log: event.log }),
        );
      });
      // ethers subscribes asynchronously: wait until both subscriptions exist on the server.
      const deadline = Date.now() + 5000;
      while (net.devnet.core.subscriptions.size < 2 && Date.now() < deadline) await quiet(20);
      assert.ok(net.devnet.core.subscriptions.size >= 2, "ethers subscribed");

      const from = net.devnet.accounts[5].address;
      const hash = await callCounter(counterAddress, from, "incrementBy", [4n]);
      const event = await gotEvent;
      await gotBlock;
      assert.equal(event.by, from);
      assert.equal(event.newCount, 14n);
      assert.equal(event.amount, 4n);
      assert.equal(event.log.transactionHash, hash);
      const receipt = await request<{ blockNumber: string }>("eth_getTransactionReceipt", [hash]);
      assert.ok(blocks.includes(Number(BigInt(receipt.blockNumber))), `block ${receipt.blockNumber} announced (${blocks})`);
    });
  });
});
