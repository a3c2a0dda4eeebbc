// Bad input over raw HTTP (fetch, node:http, node:net) and raw WebSocket: standard JSON-RPC
// errors (-32700, -32600, -32601, -32602) that say what was wrong, batch and body limits,
// garbage and broken connections, raw-transaction errors with their codes, and concurrent
// clients. After every bad input the server must still answer eth_chainId.

import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { type Socket, connect as tcpConnect } from "node:net";
import { keccak256, Transaction, toBeHex, toQuantity, toUtf8Bytes, Wallet } from "ethers";
import WebSocket from "ws";
import { MAX_BATCH, MAX_BODY_BYTES } from "../src/index.js";
import { startTestDevnet, type TestDevnet } from "./support/server.js";

interface RpcErrorObject {
  code: number;
  message: string;
  data?: { code?: string } & Record<string, unknown>;
}

interface RpcResponse<T = unknown> {
  jsonrpc: string;
  id: number | string | null;
  result?: T;
  error?: RpcErrorObject;
}

interface HttpAnswer {
  status: number;
  text: string;
}

const GWEI = 1_000_000_000n;

/** Deterministic pseudo-random bytes (xorshift32): the same "garbage" every run. */
function pseudoRandomBytes(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

describe("bad input does not break the server", function () {
  this.timeout(60_000);

  let net: TestDevnet;
  let chainIdHex: string;

  /** POSTs a raw body (string or bytes) and returns the status and text. */
  async function post(body: string | Buffer, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    const res = await fetch(net.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : new Uint8Array(body),
    });
    return { status: res.status, text: await res.text() };
  }

  async function postJson<T = RpcResponse>(body: string | Buffer): Promise<T> {
    const answer = await post(body);
    assert.equal(answer.status, 200, `HTTP status for ${String(body).slice(0, 80)}: ${answer.text}`);
    return JSON.parse(answer.text) as T;
  }

  let nextId = 1;
  async function call<T = unknown>(method: string, params?: unknown): Promise<RpcResponse<T>> {
    const id = nextId++;
    const res = await postJson<RpcResponse<T>>(JSON.stringify({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) }));
    assert.equal(res.id, id, "the answer carries the request's id");
    return res;
  }

  async function result<T>(method: string, params: unknown[] = []): Promise<T> {
    const res = await call<T>(method, params);
    assert.equal(res.error, undefined, `${method} failed: ${JSON.stringify(res.error)}`);
    return res.result as T;
  }

  /** The server still answers a plain request. */
  async function assertAlive(): Promise<void> {
    const res = await fetch(net.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: "alive", method: "eth_chainId", params: [] }),
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { jsonrpc: "2.0", id: "alive", result: chainIdHex });
  }

  function expectError(res: RpcResponse, code: number, devnetCode: string, label = ""): RpcErrorObject {
    assert.ok(res.error, `${label}: expected an error, got ${JSON.stringify(res)}`);
    assert.equal(res.error.code, code, `${label}: ${res.error.message}`);
    assert.equal(res.error.data?.code, devnetCode, `${label}: ${res.error.message}`);
    assert.equal(res.result, undefined, `${label}: no result next to an error`);
    assert.equal(typeof res.error.message, "string");
    assert.ok(res.error.message.length > 10, `${label}: the message says what was wrong`);
    return res.error;
  }

  /** Writes raw bytes on a TCP connection, then closes it the given way; resolves with whatever came back. */
  function rawTcp(chunks: (string | Buffer)[], ending: "end" | "destroy" | "wait", waitMs = 300): Promise<string> {
    return new Promise((resolve) => {
      let received = "";
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        resolve(received);
      };
      const socket: Socket = tcpConnect(net.server.port, "127.0.0.1", () => {
        for (const c of chunks) socket.write(c);
        if (ending === "end") socket.end();
        else if (ending === "destroy") {
          socket.destroy();
          finish();
        }
      });
      socket.on("data", (d) => {
        received += d.toString("latin1");
      });
      socket.on("error", () => finish());
      socket.on("close", () => finish());
      setTimeout(() => {
        socket.destroy();
        finish();
      }, waitMs + 2000);
      if (ending === "wait") {
        setTimeout(() => {
          socket.destroy();
          finish();
        }, waitMs);
      }
    });
  }

  before(async () => {
    net = await startTestDevnet({ genesisTimestamp: 1_700_000_000 });
    chainIdHex = toQuantity(net.devnet.chainId);
  });

  afterEach(async () => {
    // Whatever the test sent, the server answers afterwards.
    if (net) await assertAlive();
  });

  after(async () => {
    await net?.close();
  });

  describe("-32700 parse error", () => {
    const bodies: [string, string | Buffer][] = [
      ["truncated object", '{"jsonrpc":"2.0","id":1,"method":'],
      ["plain text", "not json at all"],
      ["empty body", ""],
      ["single quotes", "{'jsonrpc':'2.0','id':1,'method':'eth_chainId'}"],
      ["trailing comma in a batch", '[{"jsonrpc":"2.0","id":1,"method":"eth_chainId"},]'],
      ["unterminated batch", '[{"jsonrpc":"2.0","id":1,"method":"eth_chainId"},'],
      ["control bytes", Buffer.from([0x00, 0x01, 0x02, 0x7b, 0xff])],
      ["two objects", '{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}{"jsonrpc":"2.0","id":2,"method":"eth_chainId"}'],
      ["NaN literal", '{"jsonrpc":"2.0","id":NaN,"method":"eth_chainId"}'],
    ];
    for (const [label, body] of bodies) {
      it(`${label}`, async () => {
        const res = await postJson(body);
        const error = expectError(res, -32700, "PARSE_ERROR", label);
        assert.equal(res.id, null);
        assert.match(error.message, /JSON/);
        await assertAlive();
      });
    }

    it("a deeply nested body is refused without crashing", async () => {
      const depth = 200_000;
      const res = await post(`${"[".repeat(depth)}${"]".repeat(depth)}`);
      assert.equal(res.status, 200);
      const body = JSON.parse(res.text) as RpcResponse | RpcResponse[];
      const first = Array.isArray(body) ? body[0] : body;
      assert.ok(first.error && [-32700, -32600].includes(first.error.code), res.text.slice(0, 200));
      await assertAlive();
    });
  });

  describe("-32600 invalid request", () => {
    // [label, body, the id the answer must carry: the request's when usable, else null]
    const shapes: [string, string, number | null][] = [
      ["a number", "42", null],
      ["a string", '"eth_chainId"', null],
      ["null", "null", null],
      ["true", "true", null],
      ["an empty object", "{}", null],
      ["no method", '{"jsonrpc":"2.0","id":1}', 1],
      ["method is a number", '{"jsonrpc":"2.0","id":2,"method":42}', 2],
      ["method is null", '{"jsonrpc":"2.0","id":3,"method":null}', 3],
      ["method is an object", '{"jsonrpc":"2.0","id":4,"method":{"name":"eth_chainId"}}', 4],
      ["jsonrpc 1.0", '{"jsonrpc":"1.0","id":5,"method":"eth_chainId"}', 5],
      ["jsonrpc as a number", '{"jsonrpc":2,"id":6,"method":"eth_chainId"}', 6],
      ["id is an object", '{"jsonrpc":"2.0","id":{"a":1},"method":"eth_chainId"}', null],
      ["id is an array", '{"jsonrpc":"2.0","id":[1],"method":"eth_chainId"}', null],
      ["id is a boolean", '{"jsonrpc":"2.0","id":true,"method":"eth_chainId"}', null],
    ];
    for (const [label, body, id] of shapes) {
      it(`${label}`, async () => {
        const res = await postJson(body);
        expectError(res, -32600, "INVALID_REQUEST", label);
        assert.equal(res.id, id, id === null ? "an unusable id is answered as null" : "the request's id is kept");
        await assertAlive();
      });
    }

    it("a batch answers each entry: invalid ones with -32600, valid ones normally", async () => {
      const res = await postJson<RpcResponse[]>(
        JSON.stringify([1, { jsonrpc: "2.0", id: 7, method: "eth_chainId" }, "x", { jsonrpc: "2.0", id: 8 }, null]),
      );
      assert.equal(res.length, 5);
      assert.deepEqual(res[1], { jsonrpc: "2.0", id: 7, result: chainIdHex });
      for (const i of [0, 2, 3, 4]) expectError(res[i], -32600, "INVALID_REQUEST", `entry ${i}`);
      assert.equal(res[3].id, 8, "an invalid entry with a valid id keeps it");
      await assertAlive();
    });

    it("ids of every valid kind are echoed; notifications get no answer", async () => {
      for (const id of ["abc", 0, -5, 1.5, null, "", "x".repeat(1000)]) {
        const res = await postJson(JSON.stringify({ jsonrpc: "2.0", id, method: "eth_chainId" }));
        assert.deepEqual(res, { jsonrpc: "2.0", id, result: chainIdHex });
      }
      // Without "jsonrpc" (lenient, as geth): still answered.
      assert.deepEqual(await postJson(JSON.stringify({ id: 3, method: "eth_chainId" })), { jsonrpc: "2.0", id: 3, result: chainIdHex });
      // Notifications (no id): HTTP 204, empty body; a batch of notifications too.
      const single = await post(JSON.stringify({ jsonrpc: "2.0", method: "eth_chainId" }));
      assert.equal(single.status, 204);
      assert.equal(single.text, "");
      const batch = await post(
        JSON.stringify([
          { jsonrpc: "2.0", method: "eth_chainId" },
          { jsonrpc: "2.0", method: "nope" },
        ]),
      );
      assert.equal(batch.status, 204);
      await assertAlive();
    });

    it("other HTTP methods: PUT is refused with 405, GET and OPTIONS answer", async () => {
      const put = await fetch(net.url, { method: "PUT", body: "{}" });
      assert.equal(put.status, 405);
      const body = (await put.json()) as RpcResponse;
      assert.equal(body.error?.code, -32600);
      const get = await fetch(net.url);
      assert.equal(get.status, 200);
      assert.equal(((await get.json()) as { chainId: string }).chainId, chainIdHex);
      const options = await fetch(net.url, { method: "OPTIONS" });
      assert.equal(options.status, 204);
      assert.equal(options.headers.get("access-control-allow-origin"), "*");
      await assertAlive();
    });

    it("answers carry their length, not chunked encoding (one write, less for clients to parse), multi-byte text too", async () => {
      for (const body of [
        { jsonrpc: "2.0", id: 1, method: "eth_chainId" },
        { jsonrpc: "2.0", id: "é→😀", method: "eth_nope" },
      ]) {
        const res = await fetch(net.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
        const bytes = Buffer.from(await res.arrayBuffer());
        assert.equal(res.headers.get("transfer-encoding"), null);
        assert.equal(res.headers.get("content-length"), String(bytes.length));
        assert.equal((JSON.parse(bytes.toString("utf8")) as { id: unknown }).id, body.id);
      }
    });
  });

  describe("-32601 unknown method", () => {
    for (const method of ["eth_doesNotExist", "ETH_CHAINID", "__proto__", "constructor", "toString", "hasOwnProperty", "eth_chainId "]) {
      it(`${JSON.stringify(method)} is named in the message`, async () => {
        const res = await call(method, []);
        const error = expectError(res, -32601, "METHOD_NOT_FOUND", method);
        assert.ok(error.message.includes(method), `message ${JSON.stringify(error.message)} names ${JSON.stringify(method)}`);
        await assertAlive();
      });
    }

    it("an empty method name", async () => {
      expectError(await call("", []), -32601, "METHOD_NOT_FOUND", "empty name");
      await assertAlive();
    });
  });

  describe("-32602 invalid params, naming the parameter", () => {
    const dev = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
    const cases: { label: string; method: string; params: unknown; name: RegExp }[] = [
      { label: "wrong type (number for address)", method: "eth_getBalance", params: [123, "latest"], name: /'address'/ },
      { label: "missing required", method: "eth_getBalance", params: [], name: /missing.*'address'/ },
      { label: "null for a required parameter", method: "eth_getCode", params: [null, "latest"], name: /'address'/ },
      { label: "too many params", method: "eth_getBalance", params: [dev, "latest", 1], name: /too many parameters/ },
      { label: "too many params (none taken)", method: "eth_chainId", params: [1], name: /too many parameters/ },
      { label: "short address", method: "eth_getBalance", params: ["0x1234", "latest"], name: /'address'/ },
      { label: "non-hex address", method: "eth_getBalance", params: [`0x${"zz".repeat(20)}`, "latest"], name: /'address'/ },
      { label: "address without 0x", method: "eth_getBalance", params: [dev.slice(2), "latest"], name: /'address'/ },
      { label: "bad block tag", method: "eth_getBalance", params: [dev, "newest"], name: /'block'/ },
      { label: "empty block number", method: "eth_getBalance", params: [dev, "0x"], name: /'block'/ },
      { label: "negative block number", method: "eth_getBlockByNumber", params: [-1, false], name: /'block'/ },
      { label: "fractional block number", method: "eth_getBlockByNumber", params: [1.5, false], name: /'block'/ },
      { label: "bad EIP-1898 blockHash", method: "eth_getBalance", params: [dev, { blockHash: "0x12" }], name: /'block'/ },
      { label: "EIP-1898 with an unknown key", method: "eth_getBalance", params: [dev, { blockNumber: "0x0", extra: 1 }], name: /'block'/ },
      { label: "boolean as a string", method: "eth_getBlockByNumber", params: ["latest", "yes"], name: /'fullTransactions'/ },
      { label: "short hash", method: "eth_getTransactionByHash", params: ["0x1234"], name: /'hash'/ },
      { label: "transaction is not an object", method: "eth_call", params: ["0x00"], name: /'transaction'/ },
      { label: "bad 'to' in a transaction", method: "eth_call", params: [{ to: "0x12" }], name: /'transaction'.*to/ },
      { label: "negative value", method: "eth_call", params: [{ to: dev, value: -1 }], name: /'transaction'.*value/ },
      { label: "odd-length data", method: "eth_sendRawTransaction", params: ["0xabc"], name: /'transaction'/ },
      { label: "too many topics", method: "eth_getLogs", params: [{ topics: [null, null, null, null, null] }], name: /'filter'/ },
      { label: "slot over 32 bytes", method: "eth_getStorageAt", params: [dev, `0x${"1".repeat(65)}`], name: /'slot'/ },
      { label: "seconds as text", method: "evm_increaseTime", params: ["an hour"], name: /'seconds'/ },
      { label: "params is an object", method: "eth_getBalance", params: { address: dev }, name: /params must be an array/ },
      { label: "params is a string", method: "eth_blockNumber", params: "latest", name: /params must be an array/ },
    ];
    for (const c of cases) {
      it(`${c.label} (${c.method})`, async () => {
        const error = expectError(await call(c.method, c.params), -32602, "INVALID_PARAMS", c.label);
        assert.match(error.message, c.name);
        assert.ok(error.message.includes(c.method), `the message names the method: ${error.message}`);
        await assertAlive();
      });
    }

    it("numbers JSON cannot hold exactly are refused, not rounded", async () => {
      const res = await postJson('{"jsonrpc":"2.0","id":1,"method":"eth_getBlockByNumber","params":[1e400,false]}');
      expectError(res, -32602, "INVALID_PARAMS", "1e400");
      const to = "0x0000000000000000000000000000000000000b0c";
      const unsafe = await postJson(`{"jsonrpc":"2.0","id":2,"method":"hardhat_setBalance","params":["${to}",9007199254740993]}`);
      assert.match(expectError(unsafe, -32602, "INVALID_PARAMS", "2^53 + 1").message, /'balance'/);
      assert.equal(await result("eth_getBalance", [to, "latest"]), "0x0", "not set to a rounded value");
      await assertAlive();
    });

    it("semantic checks name the parameter too (fromBlock after toBlock, blockCount 0)", async () => {
      await result("hardhat_mine", ["0x2"]);
      const logs = expectError(await call("eth_getLogs", [{ fromBlock: "0x2", toBlock: "0x1" }]), -32602, "INVALID_PARAMS");
      assert.match(logs.message, /fromBlock/);
      const fees = expectError(await call("eth_feeHistory", ["0x0", "latest"]), -32602, "INVALID_PARAMS");
      assert.match(fees.message, /blockCount/);
      await assertAlive();
    });
  });

  describe("batches", () => {
    it(`a ${MAX_BATCH}-request batch is answered in full, with matching ids`, async () => {
      const dev = net.devnet.accounts[0].address;
      const balance = await result<string>("eth_getBalance", [dev, "latest"]);
      const height = await result<string>("eth_blockNumber");
      const requests = Array.from({ length: MAX_BATCH }, (_, i) => {
        const id = i % 3 === 0 ? `s${i}` : i;
        switch (i % 5) {
          case 0:
            return { jsonrpc: "2.0", id, method: "eth_chainId" };
          case 1:
            return { jsonrpc: "2.0", id, method: "eth_getBalance", params: [dev, "latest"] };
          case 2:
            return { jsonrpc: "2.0", id, method: "web3_sha3", params: [toBeHex(i + 1)] };
          case 3:
            return { jsonrpc: "2.0", id, method: "eth_blockNumber" };
          default:
            return { jsonrpc: "2.0", id, method: i % 2 ? "eth_nope" : "eth_getBalance", params: i % 2 ? [] : ["bad"] };
        }
      });
      const answers = await postJson<RpcResponse[]>(JSON.stringify(requests));
      assert.ok(Array.isArray(answers));
      assert.equal(answers.length, MAX_BATCH);
      const byId = new Map(answers.map((a) => [a.id, a]));
      assert.equal(byId.size, MAX_BATCH, "every id answered exactly once");
      for (const [i, req] of requests.entries()) {
        const a = byId.get(req.id);
        assert.ok(a, `id ${req.id} answered`);
        switch (i % 5) {
          case 0:
            assert.equal(a.result, chainIdHex);
            break;
          case 1:
            assert.equal(a.result, balance);
            break;
          case 2:
            assert.equal(a.result, keccak256(toBeHex(i + 1)));
            break;
          case 3:
            assert.equal(a.result, height);
            break;
          default:
            assert.equal(a.error?.code, i % 2 ? -32601 : -32602, `id ${req.id}`);
        }
      }
      await assertAlive();
    });

    it(`a ${MAX_BATCH + 1}-request batch is refused as a whole`, async () => {
      const requests = Array.from({ length: MAX_BATCH + 1 }, (_, i) => ({ jsonrpc: "2.0", id: i, method: "eth_chainId" }));
      const res = await postJson<RpcResponse>(JSON.stringify(requests));
      assert.ok(!Array.isArray(res), "one error, not per-request answers");
      assert.equal(res.error?.code, -32600);
      assert.equal(res.error?.data?.code, "LIMIT_EXCEEDED");
      assert.match(res.error?.message ?? "", new RegExp(String(MAX_BATCH)));
      assert.match(res.error?.message ?? "", new RegExp(String(MAX_BATCH + 1)));
      await assertAlive();
    });

    it("a batch of state changes over the limit changes nothing", async () => {
      const to = "0x0000000000000000000000000000000000000b0b";
      const requests = Array.from({ length: MAX_BATCH + 1 }, (_, i) => ({
        jsonrpc: "2.0",
        id: i,
        method: "hardhat_setBalance",
        params: [to, toQuantity(i + 1)],
      }));
      const res = await postJson<RpcResponse>(JSON.stringify(requests));
      assert.equal(res.error?.code, -32600);
      assert.equal(await result("eth_getBalance", [to, "latest"]), "0x0");
    });

    it("an empty batch is refused", async () => {
      const res = await postJson<RpcResponse>("[]");
      expectError(res, -32600, "INVALID_REQUEST", "[]");
      assert.equal(res.id, null);
      await assertAlive();
    });
  });

  describe("body size", () => {
    /** POSTs `size` bytes with node:http (declared length, or chunked); resolves with status and body, or the socket error. */
    function postBig(size: number, chunked: boolean): Promise<{ status?: number; text?: string; error?: string }> {
      return new Promise((resolve) => {
        const body = Buffer.alloc(size, 0x20); // spaces: would be valid JSON whitespace
        const req = httpRequest(
          net.url,
          {
            method: "POST",
            agent: false,
            headers: chunked ? { "content-type": "application/json" } : { "content-type": "application/json", "content-length": size },
          },
          (res) => {
            let text = "";
            res.on("data", (c: Buffer) => {
              text += c.toString();
            });
            res.on("end", () => resolve({ status: res.statusCode, text }));
            res.on("error", (e) => resolve({ status: res.statusCode, text, error: e.message }));
          },
        );
        req.on("socket", (s) => s.on("error", () => undefined));
        req.on("error", (e) => resolve({ error: e.message }));
        if (chunked) {
          const step = 1024 * 1024;
          for (let i = 0; i < size; i += step) req.write(body.subarray(i, i + step));
          req.end();
        } else req.end(body);
      });
    }

    for (const chunked of [false, true]) {
      it(`a body over MAX_BODY_BYTES is refused with HTTP 413 (${chunked ? "chunked" : "Content-Length"}); the server answers afterwards`, async () => {
        const answer = await postBig(MAX_BODY_BYTES + 1, chunked);
        assert.equal(answer.status, 413, JSON.stringify(answer).slice(0, 300));
        const body = JSON.parse(answer.text ?? "") as RpcResponse;
        assert.equal(body.error?.code, -32600);
        assert.equal(body.error?.data?.code, "LIMIT_EXCEEDED");
        assert.match(body.error?.message ?? "", new RegExp(String(MAX_BODY_BYTES)));
        await assertAlive();
      });
    }

    it("a large body under the limit is served (web3_sha3 of 4 MiB)", async () => {
      const data = pseudoRandomBytes(4 * 1024 * 1024, 7);
      const hex = `0x${data.toString("hex")}`;
      assert.ok(hex.length < MAX_BODY_BYTES);
      assert.equal(await result("web3_sha3", [hex]), keccak256(data));
    });

    it("a WebSocket message over MAX_BODY_BYTES closes that socket only (1009)", async () => {
      const ws = new WebSocket(net.wsUrl);
      await new Promise((resolve, reject) => {
        ws.once("open", resolve);
        ws.once("error", reject);
      });
      const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
      ws.on("error", () => undefined);
      ws.send(Buffer.alloc(MAX_BODY_BYTES + 1, 0x20));
      assert.equal(await closed, 1009);
      await assertAlive();
    });
  });

  describe("garbage and broken connections", () => {
    it("random binary bytes on a TCP connection", async () => {
      for (const seed of [1, 2, 3]) {
        await rawTcp([pseudoRandomBytes(64 * 1024, seed)], "wait");
        await assertAlive();
      }
    });

    it("random binary bytes as an HTTP body", async () => {
      for (const seed of [11, 12]) {
        const res = await post(pseudoRandomBytes(8 * 1024, seed));
        assert.equal(res.status, 200);
        assert.equal((JSON.parse(res.text) as RpcResponse).error?.code, -32700);
      }
      await assertAlive();
    });

    it("a garbage request line, and garbage after a valid request on a keep-alive connection", async () => {
      const bad = await rawTcp(["GARBAGE\u0000 / HTTP/9.9\r\n\r\n"], "wait");
      assert.match(bad, /^HTTP\/1\.1 400 Bad Request/, "a malformed request gets a 400 answer");
      const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId" });
      const mixed = await rawTcp(
        [
          `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
          pseudoRandomBytes(4096, 99),
        ],
        "wait",
      );
      // The connection may be dropped at the garbage (HTTP allows it), with or without the first answer.
      assert.ok(mixed === "" || mixed.includes(`"result":"${chainIdHex}"`) || /^HTTP\/1\.1 4\d\d/.test(mixed), mixed.slice(0, 80));
      await assertAlive();
    });

    it("a half-closed socket: a complete request is still answered, a partial one is dropped", async () => {
      const body = JSON.stringify({ jsonrpc: "2.0", id: 42, method: "eth_chainId" });
      const full = await rawTcp(
        [`POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`],
        "end",
      );
      assert.match(full, /^HTTP\/1\.1 200/);
      assert.match(full, new RegExp(`"id":42,"result":"${chainIdHex}"`));

      const partial = await rawTcp(
        ['POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"jsonrpc"'],
        "end",
      );
      assert.doesNotMatch(partial, /^HTTP\/1\.1 200/);
      await assertAlive();
    });

    it("connections dropped mid-request (headers only, half a body, half a header)", async () => {
      await rawTcp(["POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n"], "destroy");
      await rawTcp(['POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"jsonrpc":"2.0","id":1,'], "destroy");
      await rawTcp(["POST / HTTP/1.1\r\nHost: x\r\nContent-Le"], "destroy");
      await rawTcp(["POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"], "wait");
      await new Promise((r) => setTimeout(r, 50));
      await assertAlive();
    });

    it("a request that is mining when its client disconnects", async () => {
      const body = JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "eth_sendTransaction",
        params: [{ from: net.devnet.accounts[19].address, to: net.devnet.accounts[18].address, value: "0x1" }],
      });
      const nonce = BigInt(await result<string>("eth_getTransactionCount", [net.devnet.accounts[19].address, "latest"]));
      await rawTcp(
        [`POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`],
        "destroy",
      );
      const deadline = Date.now() + 3000;
      let now = nonce;
      while (now === nonce && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
        now = BigInt(await result<string>("eth_getTransactionCount", [net.devnet.accounts[19].address, "latest"]));
      }
      assert.equal(now, nonce + 1n, "the transaction is mined once even though nobody waits for the answer");
      await assertAlive();
    });

    it("raw WebSocket: malformed JSON, invalid shapes, binary garbage, oversized batches — then the same socket still works", async () => {
      const ws = new WebSocket(net.wsUrl);
      await new Promise((resolve, reject) => {
        ws.once("open", resolve);
        ws.once("error", reject);
      });
      const replies: unknown[] = [];
      const waiters: (() => void)[] = [];
      ws.on("message", (data) => {
        replies.push(JSON.parse(data.toString()));
        for (const w of waiters.splice(0)) w();
      });
      const next = async (): Promise<RpcResponse | RpcResponse[]> => {
        const deadline = Date.now() + 3000;
        while (replies.length === 0) {
          assert.ok(Date.now() < deadline, "a reply arrives");
          await new Promise<void>((r) => {
            waiters.push(r);
            setTimeout(r, 100);
          });
        }
        return replies.shift() as RpcResponse;
      };
      try {
        ws.send('{"jsonrpc":"2.0","id":1,"method":');
        expectError((await next()) as RpcResponse, -32700, "PARSE_ERROR", "ws truncated");
        ws.send(pseudoRandomBytes(2048, 5));
        expectError((await next()) as RpcResponse, -32700, "PARSE_ERROR", "ws binary garbage");
        ws.send("42");
        expectError((await next()) as RpcResponse, -32600, "INVALID_REQUEST", "ws number");
        ws.send("[]");
        expectError((await next()) as RpcResponse, -32600, "INVALID_REQUEST", "ws empty batch");
        ws.send(JSON.stringify(Array.from({ length: MAX_BATCH + 1 }, (_, i) => ({ jsonrpc: "2.0", id: i, method: "eth_chainId" }))));
        const tooMany = (await next()) as RpcResponse;
        assert.equal(tooMany.error?.code, -32600);
        ws.send(JSON.stringify({ jsonrpc: "2.0", id: 2, method: "eth_nope" }));
        expectError((await next()) as RpcResponse, -32601, "METHOD_NOT_FOUND", "ws unknown method");
        ws.send(JSON.stringify({ jsonrpc: "2.0", id: 3, method: "eth_getBalance", params: ["0x12"] }));
        expectError((await next()) as RpcResponse, -32602, "INVALID_PARAMS", "ws bad params");
        ws.send(JSON.stringify({ jsonrpc: "2.0", id: 4, method: "eth_chainId" }));
        assert.deepEqual(await next(), { jsonrpc: "2.0", id: 4, result: chainIdHex });
      } finally {
        ws.close();
      }
      await assertAlive();
    });
  });

  describe("raw transactions: errors carry their code, and change nothing", () => {
    let chainId: bigint;

    before(() => {
      chainId = net.devnet.chainId;
    });

    async function nonceOf(address: string): Promise<number> {
      return Number(BigInt(await result<string>("eth_getTransactionCount", [address, "latest"])));
    }

    async function sign(wallet: Wallet, overrides: Record<string, unknown> = {}): Promise<string> {
      return wallet.signTransaction({
        type: 2,
        chainId,
        to: "0x0000000000000000000000000000000000000b0b",
        value: 1n,
        nonce: await nonceOf(wallet.address),
        gasLimit: 21_000n,
        maxFeePerGas: 100n * GWEI,
        maxPriorityFeePerGas: GWEI,
        ...overrides,
      });
    }

    /** Sends a raw transaction that must be refused with `code`; checks the sender's nonce and balance did not move. */
    async function refused(raw: string, code: string, message: RegExp, rpcCode = -32000): Promise<void> {
      const tx = Transaction.from(raw);
      const from = tx.from as string;
      const [nonce, balance, height] = await Promise.all([
        result<string>("eth_getTransactionCount", [from, "pending"]),
        result<string>("eth_getBalance", [from, "latest"]),
        result<string>("eth_blockNumber"),
      ]);
      const error = expectError(await call("eth_sendRawTransaction", [raw]), rpcCode, code, code);
      assert.match(error.message, message);
      assert.equal(await result("eth_getTransactionCount", [from, "pending"]), nonce);
      assert.equal(await result("eth_getBalance", [from, "latest"]), balance);
      assert.equal(await result("eth_blockNumber"), height);
      assert.equal(await result("eth_getTransactionByHash", [tx.hash]), null, "not pooled");
      await assertAlive();
    }

    it("NONCE_TOO_LOW", async () => {
      const wallet = new Wallet(net.devnet.accounts[5].privateKey);
      await result("eth_sendRawTransaction", [await sign(wallet)]);
      const stale = await sign(wallet, { nonce: (await nonceOf(wallet.address)) - 1, value: 2n });
      await refused(stale, "NONCE_TOO_LOW", /nonce too low/i);
    });

    it("INSUFFICIENT_FUNDS", async () => {
      const poor = new Wallet(keccak256(toUtf8Bytes("bad-input.test: an account with no funds")));
      await refused(await sign(poor), "INSUFFICIENT_FUNDS", /insufficient funds/i);
      const rich = new Wallet(net.devnet.accounts[6].privateKey);
      const balance = BigInt(await result<string>("eth_getBalance", [rich.address, "latest"]));
      await refused(await sign(rich, { value: balance }), "INSUFFICIENT_FUNDS", /insufficient funds/i);
    });

    it("WRONG_CHAIN_ID (typed and legacy EIP-155)", async () => {
      const wallet = new Wallet(net.devnet.accounts[7].privateKey);
      await refused(await sign(wallet, { chainId: 1n }), "WRONG_CHAIN_ID", new RegExp(String(chainId)));
      await refused(
        await sign(wallet, { type: 0, chainId: 1n, gasPrice: 10n * GWEI, maxFeePerGas: undefined, maxPriorityFeePerGas: undefined }),
        "WRONG_CHAIN_ID",
        /chain/i,
      );
    });

    it("INTRINSIC_GAS_TOO_LOW", async () => {
      const wallet = new Wallet(net.devnet.accounts[8].privateKey);
      await refused(await sign(wallet, { gasLimit: 20_999n }), "INTRINSIC_GAS_TOO_LOW", /intrinsic gas too low/i);
      await refused(await sign(wallet, { gasLimit: 21_000n, data: "0x01" }), "INTRINSIC_GAS_TOO_LOW", /21016/);
    });

    it("also: GAS_LIMIT_TOO_HIGH, FEE_TOO_LOW, ALREADY_KNOWN", async () => {
      const wallet = new Wallet(net.devnet.accounts[9].privateKey);
      await refused(await sign(wallet, { gasLimit: 40_000_001n }), "GAS_LIMIT_TOO_HIGH", /gas limit/i);
      // Anvil's wording and code (-32003, transaction rejected).
      await refused(await sign(wallet, { maxFeePerGas: 1n, maxPriorityFeePerGas: 0n }), "FEE_TOO_LOW", /less than block base fee/i, -32003);
      const raw = await sign(wallet);
      await result("eth_sendRawTransaction", [raw]);
      const again = expectError(await call("eth_sendRawTransaction", [raw]), -32000, "ALREADY_KNOWN");
      assert.match(again.message, new RegExp(Transaction.from(raw).hash as string));
    });

    it("undecodable bytes are invalid params", async () => {
      for (const raw of ["0x", "0x02deadbeef", "0xf8", `0x${pseudoRandomBytes(200, 3).toString("hex")}`]) {
        const res = await call("eth_sendRawTransaction", [raw]);
        assert.ok(res.error, raw);
        assert.ok([-32602, -32000].includes(res.error.code), `${raw.slice(0, 20)}: ${res.error.code} ${res.error.message}`);
        assert.notEqual(res.error.code, -32603, "not an internal error");
      }
      await assertAlive();
    });
  });

  describe("concurrent clients", () => {
    const CLIENTS = 8;
    const TXS = 20;
    const sink = "0x0000000000000000000000000000000000005eed";

    interface Receipt {
      status: string;
      gasUsed: string;
      effectiveGasPrice: string;
      blockNumber: string;
      from: string;
    }

    /** Signs TXS transfers per client (distinct values), sends them `mode`-wise, then checks nothing was lost or doubled. */
    async function run(mode: "sequential-per-client" | "all-at-once", firstAccount: number, sinkAddress: string): Promise<void> {
      const wallets = Array.from({ length: CLIENTS }, (_, c) => new Wallet(net.devnet.accounts[firstAccount + c].privateKey));
      const start = await Promise.all(
        wallets.map(async (w) => ({
          nonce: Number(BigInt(await result<string>("eth_getTransactionCount", [w.address, "latest"]))),
          balance: BigInt(await result<string>("eth_getBalance", [w.address, "latest"])),
        })),
      );
      const sinkBefore = BigInt(await result<string>("eth_getBalance", [sinkAddress, "latest"]));
      const heightBefore = BigInt(await result<string>("eth_blockNumber"));
      const value = (c: number, i: number) => BigInt(1_000 * (c + 1) + i + 1);
      const signed = await Promise.all(
        wallets.map((w, c) =>
          Promise.all(
            Array.from({ length: TXS }, (_, i) =>
              w.signTransaction({
                type: 2,
                chainId: net.devnet.chainId,
                to: sinkAddress,
                value: value(c, i),
                nonce: start[c].nonce + i,
                gasLimit: 21_000n,
                maxFeePerGas: 100n * GWEI,
                maxPriorityFeePerGas: BigInt(1 + ((c + i) % 3)) * GWEI,
              }),
            ),
          ),
        ),
      );

      let hashes: string[][];
      if (mode === "sequential-per-client") {
        hashes = await Promise.all(
          signed.map(async (list) => {
            const out: string[] = [];
            for (const raw of list) out.push(await result<string>("eth_sendRawTransaction", [raw]));
            return out;
          }),
        );
      } else {
        // Every transaction at once, in an order that mixes clients and reverses nonces.
        const order = signed.flatMap((list, c) => list.map((raw, i) => ({ c, i, raw })));
        order.sort((a, b) => ((a.i * 7 + a.c * 3) % 11) - ((b.i * 7 + b.c * 3) % 11) || b.i - a.i);
        const sent = await Promise.all(order.map(async (o) => ({ ...o, hash: await result<string>("eth_sendRawTransaction", [o.raw]) })));
        hashes = wallets.map((_, c) =>
          sent
            .filter((s) => s.c === c)
            .sort((a, b) => a.i - b.i)
            .map((s) => s.hash),
        );
        // Transactions sent ahead of their nonce return at once; wait for the pool to drain.
        const deadline = Date.now() + 10_000;
        for (;;) {
          const status = await result<{ pending: string; queued: string }>("txpool_status");
          if (status.pending === "0x0" && status.queued === "0x0") break;
          assert.ok(Date.now() < deadline, `pool drained (${JSON.stringify(status)})`);
          await new Promise((r) => setTimeout(r, 20));
        }
      }

      let paidToSink = 0n;
      const allHashes = new Set<string>();
      for (const [c, w] of wallets.entries()) {
        assert.equal(hashes[c].length, TXS);
        let fees = 0n;
        let sent = 0n;
        for (const [i, hash] of hashes[c].entries()) {
          allHashes.add(hash);
          const receipt = await result<Receipt>("eth_getTransactionReceipt", [hash]);
          assert.ok(receipt, `receipt of client ${c} tx ${i}`);
          assert.equal(receipt.status, "0x1");
          assert.equal(receipt.from, w.address.toLowerCase());
          fees += BigInt(receipt.gasUsed) * BigInt(receipt.effectiveGasPrice);
          sent += value(c, i);
        }
        paidToSink += sent;
        assert.equal(
          Number(BigInt(await result<string>("eth_getTransactionCount", [w.address, "latest"]))),
          start[c].nonce + TXS,
          `client ${c} nonce`,
        );
        assert.equal(
          BigInt(await result<string>("eth_getBalance", [w.address, "latest"])),
          start[c].balance - sent - fees,
          `client ${c} balance`,
        );
      }
      assert.equal(allHashes.size, CLIENTS * TXS, "distinct transactions");
      assert.equal(BigInt(await result<string>("eth_getBalance", [sinkAddress, "latest"])) - sinkBefore, paidToSink, "sink balance");

      // The blocks hold exactly these transactions, once each, in nonce order per sender.
      const height = BigInt(await result<string>("eth_blockNumber"));
      const inBlocks: string[] = [];
      for (let n = heightBefore + 1n; n <= height; n++) {
        const block = await result<{ transactions: { hash: string; from: string; nonce: string }[] }>("eth_getBlockByNumber", [
          toQuantity(n),
          true,
        ]);
        const lastNonce = new Map<string, bigint>();
        for (const tx of block.transactions) {
          inBlocks.push(tx.hash);
          const prev = lastNonce.get(tx.from);
          if (prev !== undefined) assert.ok(BigInt(tx.nonce) > prev, "nonce order within a block");
          lastNonce.set(tx.from, BigInt(tx.nonce));
        }
      }
      assert.equal(inBlocks.length, CLIENTS * TXS, "no transaction lost or mined twice");
      assert.deepEqual(new Set(inBlocks), allHashes);
      await assertAlive();
    }

    it("concurrent eth_sendTransaction requests from one dev account all get their own nonce", async () => {
      const from = net.devnet.accounts[2].address;
      const to = "0x0000000000000000000000000000000000005eef";
      const n = 6;
      const nonce = Number(BigInt(await result<string>("eth_getTransactionCount", [from, "latest"])));
      // Separate HTTP requests, in flight together (as Promise.all over a JsonRpcSigner does).
      const answers = await Promise.all(
        Array.from({ length: n }, (_, i) => call<string>("eth_sendTransaction", [{ from, to, value: toQuantity(i + 1) }])),
      );
      for (const [i, a] of answers.entries()) assert.equal(a.error, undefined, `request ${i}: ${JSON.stringify(a.error)}`);
      // And as one JSON-RPC batch.
      const batch = await postJson<RpcResponse<string>[]>(
        JSON.stringify(
          Array.from({ length: n }, (_, i) => ({
            jsonrpc: "2.0",
            id: i,
            method: "eth_sendTransaction",
            params: [{ from, to, value: toQuantity(100 + i) }],
          })),
        ),
      );
      for (const a of batch) assert.equal(a.error, undefined, `batch entry ${a.id}: ${JSON.stringify(a.error)}`);
      assert.equal(Number(BigInt(await result<string>("eth_getTransactionCount", [from, "latest"]))), nonce + 2 * n);
      const expected = Array.from({ length: n }, (_, i) => BigInt(i + 1 + 100 + i)).reduce((x, y) => x + y, 0n);
      assert.equal(BigInt(await result<string>("eth_getBalance", [to, "latest"])), expected);
    });

    it(`${CLIENTS} clients × ${TXS} transactions, each client waiting for its answers`, async () => {
      await run("sequential-per-client", 10, sink);
    });

    it(`${CLIENTS} clients × ${TXS} transactions, all sent at once (nonces out of order)`, async () => {
      await run("all-at-once", 10, "0x0000000000000000000000000000000000005eee");
    });
  });
});
