// Issue 5, protocol items: bounded params and work per request (A6), a depth limit (A7), filters that
// expire and hold a bounded backlog (A8), WebSockets that cannot buffer without end (A9),
// subscriptions that belong to their connection (B16), and filters that survive evm_revert (B17).

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Socket } from "node:net";
import WebSocket from "ws";
import {
  createDevnet,
  type Devnet,
  type DevnetServer,
  MAX_BATCH_RESPONSE_BYTES,
  MAX_BODY_BYTES,
  MAX_DATA_BYTES,
  MAX_FILTER_ADDRESSES,
  MAX_FILTERS,
  MAX_LOGS_PER_RESPONSE,
  MAX_PARAMS_DEPTH,
  MAX_SUBSCRIPTIONS_PER_CONNECTION,
  MAX_TEXT_LENGTH,
  MAX_TOPIC_ALTERNATIVES,
  ProviderRpcError,
  startServer,
  WS_CLOSE_NOT_READING,
} from "../src/index.js";
import { FILTER_TIMEOUT_MS, FilterManager } from "../src/rpc/filters.js";

interface RpcError {
  code: number;
  message: string;
  data?: { code?: string };
}
interface RpcResponse<T = unknown> {
  id: number | null;
  result?: T;
  error?: RpcError;
}

/** Creation code that emits `count` empty LOG0s and deploys nothing. */
function logEmitter(count: number): string {
  assert.ok(count > 0 && count < 0x10000);
  // PUSH2 count; loop: JUMPDEST; LOG0(0, 0); count -= 1; JUMPI(loop, count); STOP
  return `0x61${count.toString(16).padStart(4, "0")}5b60006000a06001900380600357` + "00";
}

/** A JSON-RPC client over one WebSocket; `socket` is the TCP socket under it (to pause reading). */
class WsClient {
  readonly notifications: { subscription: string; result: unknown }[] = [];
  received = 0;
  private readonly pending = new Map<number, (msg: RpcResponse) => void>();
  private nextId = 1;

  private constructor(
    readonly ws: WebSocket,
    readonly socket: Socket,
  ) {
    socket.on("data", (chunk: Buffer) => {
      this.received += chunk.length;
    });
    ws.on("message", (data) => {
      const msg = JSON.parse(data.toString()) as
        | RpcResponse
        | RpcResponse[]
        | { method: string; params: { subscription: string; result: unknown } };
      if (!Array.isArray(msg) && "method" in msg) {
        this.notifications.push(msg.params);
        return;
      }
      const first = Array.isArray(msg) ? msg[0] : msg;
      const done = first && typeof first.id === "number" ? this.pending.get(first.id) : undefined;
      if (done && first) {
        this.pending.delete(first.id as number);
        done(msg as RpcResponse);
      }
    });
  }

  static connect(url: string): Promise<WsClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      let socket: Socket | undefined;
      ws.once("upgrade", (res) => {
        socket = res.socket as Socket;
      });
      ws.once("open", () => resolve(new WsClient(ws, socket as Socket)));
      ws.once("error", reject);
    });
  }

  /** One call; answers the whole response object (result or error). */
  call<T = unknown>(method: string, params: unknown[] = []): Promise<RpcResponse<T>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve as (msg: RpcResponse) => void);
      this.ws.send(JSON.stringify({ jsonrpc: "2.0", id, method, params }));
    });
  }

  /** A batch; answers the responses in order of their ids. */
  batch(calls: { method: string; params: unknown[] }[]): Promise<RpcResponse[]> {
    const first = this.nextId;
    this.nextId += calls.length;
    return new Promise((resolve) => {
      this.pending.set(first, (msg) => resolve((msg as unknown as RpcResponse[]).sort((a, b) => Number(a.id) - Number(b.id))));
      this.ws.send(JSON.stringify(calls.map((c, i) => ({ jsonrpc: "2.0", id: first + i, ...c }))));
    });
  }

  close(): void {
    this.ws.terminate();
  }
}

describe("hardening: the protocol layer (issue 5)", function () {
  this.timeout(60_000);
  let devnet: Devnet;
  let server: DevnetServer;
  const from = () => devnet.accounts[0].address;

  const post = async (body: string): Promise<RpcResponse> => {
    const res = await fetch(server.url, { method: "POST", headers: { "content-type": "application/json" }, body });
    return (await res.json()) as RpcResponse;
  };
  const call = (method: string, params: unknown[] = []) => post(JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }));
  const rpc = <T = unknown>(method: string, params: unknown[] = []) => devnet.request({ method, params }) as Promise<T>;
  const expectError = (res: RpcResponse, code: number, message: RegExp) => {
    assert.ok(res.error, `expected error ${code}, got ${JSON.stringify(res.result)?.slice(0, 200)}`);
    assert.equal(res.error.code, code, res.error.message);
    assert.match(res.error.message, message);
  };
  const emitLogs = async (count: number) => {
    const hash = await rpc<string>("eth_sendTransaction", [{ from: from(), data: logEmitter(count), gas: "0x7a1200" }]);
    return rpc<{ blockNumber: string; blockHash: string; logs: unknown[] }>("eth_getTransactionReceipt", [hash]);
  };

  beforeEach(async () => {
    devnet = await createDevnet({ genesisTimestamp: 1_700_000_000 });
    server = await startServer(devnet, { port: 0, maxBufferedBytes: 1024 * 1024 });
  });
  afterEach(async () => {
    await server.close();
    await devnet.close();
  });

  it("A6: a batch's answers are bounded in bytes (geth's 25 MB): past it members answer 'response too large' with their ids", async () => {
    // Incompressible 4 MiB code: each eth_getCode answers ~8.4 MB of JSON; ten of them would be 84 MB.
    const big = "0x00000000000000000000000000000000000000c0";
    await rpc("hardhat_setCode", [big, `0x${randomBytes(4 * 1024 * 1024).toString("hex")}`]);
    const calls = Array.from({ length: 10 }, (_, i) => ({ jsonrpc: "2.0", id: i, method: "eth_getCode", params: [big, "latest"] }));
    const res = await fetch(server.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(calls) });
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.ok(text.length <= MAX_BATCH_RESPONSE_BYTES + 10 * 1024, `answered ${text.length} bytes`);
    const answers = (JSON.parse(text) as RpcResponse[]).sort((a, b) => Number(a.id) - Number(b.id));
    assert.deepEqual(
      answers.map((a) => a.id),
      calls.map((c) => c.id),
      "every member answers, with its own id",
    );
    const whole = answers.filter((a) => typeof a.result === "string" && a.result.length === 2 + 8 * 1024 * 1024);
    const refused = answers.filter(
      (a) => a.error?.code === -32003 && /^response too large: .*MAX_BATCH_RESPONSE_BYTES/.test(a.error.message),
    );
    assert.equal(whole.length + refused.length, 10, JSON.stringify(answers.map((a) => a.error ?? "result")));
    assert.ok(whole.length >= 1 && refused.length >= 1, `${whole.length} answered, ${refused.length} refused`);
    assert.equal((await call("eth_chainId")).result, "0x31769", "the server answers afterwards");
  });

  it("A6: every array and string a param accepts is bounded, and one eth_getLogs answers a bounded number of logs", async () => {
    // The largest address list the 10 MiB body limit lets through is refused by the array bound.
    const address = `"0x${"ab".repeat(20)}"`;
    const head = '{"jsonrpc":"2.0","id":1,"method":"eth_getLogs","params":[{"address":[';
    const tail = "]}]}";
    const count = Math.floor((MAX_BODY_BYTES - head.length - tail.length) / (address.length + 1));
    assert.ok(count > 200_000, `${count} addresses fit`);
    const body = head + Array(count).fill(address).join(",") + tail;
    assert.ok(Buffer.byteLength(body) <= MAX_BODY_BYTES);
    const huge = await post(body);
    expectError(huge, -32602, new RegExp(`at address: too many addresses: at most ${MAX_FILTER_ADDRESSES} \\(MAX_FILTER_ADDRESSES\\)`));
    assert.ok(huge.error && huge.error.message.length < 600, "the refusal quotes only the start of the value");
    // The method name is a string the client sends too: an unknown one is quoted by its start only.
    const unknown = await post(JSON.stringify({ jsonrpc: "2.0", id: 1, method: `x_${"x".repeat(1_000_000)}`, params: [] }));
    expectError(unknown, -32601, /^the method x_x+\.\.\. does not exist\/is not available$/);
    assert.ok(unknown.error && unknown.error.message.length < 200, `answered ${unknown.error?.message.length} characters`);

    const topic = `0x${"11".repeat(32)}`;
    expectError(await call("eth_getLogs", [{ topics: [Array(MAX_TOPIC_ALTERNATIVES + 1).fill(topic)] }]), -32602, /MAX_TOPIC_ALTERNATIVES/);
    expectError(await call("eth_getFilterChanges", ["0x".padEnd(MAX_TEXT_LENGTH + 1, "1")]), -32602, /MAX_TEXT_LENGTH/);
    const entry = { address: `0x${"22".repeat(20)}`, storageKeys: [] };
    expectError(
      await call("eth_estimateGas", [{ from: from(), to: entry.address, accessList: Array(20_001).fill(entry) }]),
      -32602,
      /MAX_ACCESS_LIST_ENTRIES/,
    );
    expectError(
      await call("eth_estimateGas", [
        { from: from(), to: entry.address, accessList: [{ ...entry, storageKeys: Array(25_001).fill(topic) }] },
      ]),
      -32602,
      /MAX_ACCESS_LIST_KEYS/,
    );
    expectError(
      await call("eth_call", [{ from: from(), to: entry.address, data: `0x${"00".repeat(MAX_DATA_BYTES + 1)}` }, "latest"]),
      -32602,
      /MAX_DATA_BYTES/,
    );
    const typed = {
      types: { Big: Array.from({ length: 257 }, (_, i) => ({ name: `f${i}`, type: "uint256" })) },
      domain: {},
      primaryType: "Big",
      message: {},
    };
    expectError(await call("eth_signTypedData_v4", [from(), typed]), -32602, /MAX_TYPED_DATA_FIELDS/);

    // At the bound, a list is accepted and matches (one lookup per log, not a scan of the list).
    const receipt = await emitLogs(3);
    const emitter = (receipt.logs[0] as { address: string }).address;
    const addresses = Array.from({ length: MAX_FILTER_ADDRESSES - 1 }, (_, i) => `0x${(i + 1).toString(16).padStart(40, "0")}`);
    const matched = await call("eth_getLogs", [{ fromBlock: receipt.blockNumber, address: [...addresses, emitter] }]);
    assert.equal((matched.result as unknown[]).length, 3);

    // The work of one query is bounded too: past MAX_LOGS_PER_RESPONSE logs, a clear refusal.
    const big = await emitLogs(MAX_LOGS_PER_RESPONSE + 1);
    expectError(
      await call("eth_getLogs", [{ fromBlock: big.blockNumber, toBlock: big.blockNumber }]),
      -32005,
      /more than 10000 logs \(MAX_LOGS_PER_RESPONSE\)/,
    );
  });

  it("A7: params nested past MAX_PARAMS_DEPTH are refused with -32600, over HTTP and in process", async () => {
    const depth = 20_000;
    const nested = `${"[".repeat(depth)}${"]".repeat(depth)}`;
    const res = await post(`{"jsonrpc":"2.0","id":7,"method":"eth_getBalance","params":${nested}}`);
    assert.equal(res.id, 7);
    expectError(res, -32600, new RegExp(`deeper than ${MAX_PARAMS_DEPTH} levels \\(MAX_PARAMS_DEPTH\\)`));
    assert.equal(res.error?.data?.code, "INVALID_REQUEST");

    let deep: unknown = {};
    for (let i = 0; i < depth; i++) deep = { a: deep };
    await assert.rejects(rpc("eth_signTypedData_v4", [from(), deep]), (error: unknown) => {
      assert.ok(error instanceof ProviderRpcError);
      assert.equal(error.code, -32600);
      assert.match(error.message, /MAX_PARAMS_DEPTH/);
      return true;
    });
    // A cycle (only possible in process) is as deep as it gets.
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await assert.rejects(rpc("eth_getLogs", [cyclic]), (error: ProviderRpcError) => error.code === -32600);

    // Nesting within the bound reaches the schema, which says what is wrong with the value.
    let shallow: unknown = 1;
    for (let i = 0; i < MAX_PARAMS_DEPTH - 2; i++) shallow = [shallow];
    expectError(await call("eth_getBalance", [shallow]), -32602, /'address'/);
    // The typed data given as a JSON string gets the same bound.
    const deepText = `${'{"a":'.repeat(MAX_PARAMS_DEPTH + 1)}{}${"}".repeat(MAX_PARAMS_DEPTH + 1)}`;
    expectError(await call("eth_signTypedData_v4", [from(), deepText]), -32602, /MAX_PARAMS_DEPTH/);
  });

  it("A8: idle filters expire after FILTER_TIMEOUT_MS, each holds a bounded backlog, and hardhat_reset clears them", async () => {
    let now = 1_000_000;
    const filters = new FilterManager(devnet.core.chain, { now: () => now, backlog: 5 });
    try {
      // MAX_FILTERS is reachable, but only while the filters are polled.
      const polled = filters.newBlockFilter();
      const idle: string[] = [];
      for (let i = 1; i < MAX_FILTERS; i++) idle.push(filters.newBlockFilter());
      assert.throws(() => filters.newBlockFilter(), /too many filters \(10000, MAX_FILTERS\)/);
      now += FILTER_TIMEOUT_MS - 1;
      assert.deepEqual(filters.changes(polled), []);
      now += 2;
      const fresh = filters.newPendingFilter();
      assert.equal(filters.stats().filters, 2, "every idle filter expired; the polled one and the new one remain");
      assert.throws(() => filters.changes(idle[0] as string), /not found/);
      assert.equal(filters.uninstall(idle[1] as string), false);

      // An idle filter keeps the newest `backlog` blocks and transactions, however many there are.
      await rpc("hardhat_mine", ["0xc"]);
      await rpc("evm_setAutomine", [false]);
      const sent: string[] = [];
      for (let i = 0; i < 8; i++) sent.push(await rpc<string>("eth_sendTransaction", [{ from: from(), to: from(), value: "0x1" }]));
      const stats = filters.stats();
      assert.ok(stats.blocks <= 10 && stats.pending <= 10, `journals bounded: ${JSON.stringify(stats)}`);
      const head = BigInt(await rpc<string>("eth_blockNumber"));
      const newest = await Promise.all(
        [4n, 3n, 2n, 1n, 0n].map(
          async (back) => (await rpc<{ hash: string }>("eth_getBlockByNumber", [`0x${(head - back).toString(16)}`, false])).hash,
        ),
      );
      assert.deepEqual(filters.changes(polled), newest);
      assert.deepEqual(filters.changes(fresh), sent.slice(-5));
      assert.deepEqual(filters.changes(fresh), []);
    } finally {
      filters.close();
    }

    // hardhat_reset removes every filter of the devnet.
    const block = await rpc<string>("eth_newBlockFilter");
    const pending = await rpc<string>("eth_newPendingTransactionFilter");
    await rpc("hardhat_reset");
    for (const id of [block, pending]) await assert.rejects(rpc("eth_getFilterChanges", [id]), /filter .* not found/);
    assert.equal(devnet.core.filters.stats().filters, 0);
  });

  it("A9: a WebSocket client that stops reading is closed before the server buffers more than the bound; subscriptions per connection are bounded", async () => {
    const client = await WsClient.connect(server.wsUrl);
    try {
      const subs = await client.batch(Array.from({ length: 100 }, () => ({ method: "eth_subscribe", params: ["newHeads"] })));
      assert.ok(subs.every((r) => typeof r.result === "string"));
      client.socket.pause();
      // Mine until the server gives up on the client (it drops the subscriptions at once).
      let blocks = 0;
      while (devnet.core.subscriptions.size > 0 && blocks < 2000) {
        await rpc("hardhat_mine", ["0x14"]);
        blocks += 20;
      }
      assert.equal(devnet.core.subscriptions.size, 0, `the server closed the connection (after ${blocks} blocks)`);
      const closed = new Promise<{ code: number; reason: string }>((resolve) =>
        client.ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() })),
      );
      client.socket.resume();
      const { code, reason } = await closed;
      assert.equal(code, WS_CLOSE_NOT_READING);
      assert.match(reason, /not reading/);
      // What reached the client is the server's bounded buffer plus what the kernel held for it.
      const sysctl = (name: string) => Number(readFileSync(`/proc/sys/net/ipv4/${name}`, "utf8").trim().split(/\s+/)[2]);
      const kernel = sysctl("tcp_wmem") + sysctl("tcp_rmem");
      assert.ok(client.received <= 1024 * 1024 + kernel + 64 * 1024, `received ${client.received} bytes`);
    } finally {
      client.close();
    }

    // At most MAX_SUBSCRIPTIONS_PER_CONNECTION per connection; another connection has its own allowance.
    const full = await WsClient.connect(server.wsUrl);
    const other = await WsClient.connect(server.wsUrl);
    try {
      const many = await full.batch(
        Array.from({ length: MAX_SUBSCRIPTIONS_PER_CONNECTION }, () => ({ method: "eth_subscribe", params: ["newPendingTransactions"] })),
      );
      assert.ok(many.every((r) => typeof r.result === "string"));
      const refused = await full.call("eth_subscribe", ["newHeads"]);
      expectError(refused, -32005, /at most 1000 \(MAX_SUBSCRIPTIONS_PER_CONNECTION\)/);
      assert.equal(refused.error?.data?.code, "LIMIT_EXCEEDED");
      assert.equal(typeof (await other.call("eth_subscribe", ["newHeads"])).result, "string");
      assert.equal((await full.call("eth_unsubscribe", [many[0]?.result])).result, true);
      assert.equal(typeof (await full.call("eth_subscribe", ["newHeads"])).result, "string");
    } finally {
      full.close();
      other.close();
    }
  });

  it("B16: eth_unsubscribe ends only the calling connection's subscriptions", async () => {
    const owner = await WsClient.connect(server.wsUrl);
    const intruder = await WsClient.connect(server.wsUrl);
    try {
      const id = (await owner.call<string>("eth_subscribe", ["newHeads"])).result as string;
      assert.equal((await intruder.call("eth_unsubscribe", [id])).result, false);
      assert.equal((await intruder.call("eth_unsubscribe", [id.toUpperCase().replace("0X", "0x")])).result, false);
      // Nor over HTTP, nor in process.
      assert.equal((await call("eth_unsubscribe", [id])).result, false);
      assert.equal(await rpc("eth_unsubscribe", [id]), false);
      await rpc("evm_mine");
      const deadline = Date.now() + 5000;
      while (owner.notifications.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.equal(owner.notifications[0]?.subscription, id, "the owner is still notified");
      assert.equal((await owner.call("eth_unsubscribe", [id])).result, true);
      assert.equal(devnet.core.subscriptions.size, 0);
    } finally {
      owner.close();
      intruder.close();
    }
  });

  it("B17: block and log filters report what is mined after evm_revert", async () => {
    const blocks = await rpc<string>("eth_newBlockFilter");
    const logs = await rpc<string>("eth_newFilter", [{}]);
    const snapshot = await rpc<string>("evm_snapshot");
    await emitLogs(1);
    await rpc("hardhat_mine", ["0x3"]);
    assert.equal((await rpc<string[]>("eth_getFilterChanges", [blocks])).length, 4);
    assert.equal((await rpc<unknown[]>("eth_getFilterChanges", [logs])).length, 1);

    assert.equal(await rpc("evm_revert", [snapshot]), true);
    const receipt = await emitLogs(2);
    await rpc("evm_mine");
    const head = await rpc<{ hash: string }>("eth_getBlockByNumber", ["latest", false]);
    assert.deepEqual(await rpc("eth_getFilterChanges", [blocks]), [receipt.blockHash, head.hash]);
    const seen = await rpc<{ blockHash: string }[]>("eth_getFilterChanges", [logs]);
    assert.deepEqual(
      seen.map((l) => l.blockHash),
      [receipt.blockHash, receipt.blockHash],
    );
    assert.deepEqual(await rpc("eth_getFilterChanges", [blocks]), []);
  });
});
