// answerRequest: one JSON-RPC request object answered in process as the HTTP server answers it, bad ones included.

import assert from "node:assert/strict";
import { answerRequest, createDevnet, type Devnet } from "../src/index.js";
import { startTestDevnet } from "./support/server.js";

describe("answerRequest (in-process JSON-RPC objects)", () => {
  let devnet: Devnet;
  before(async () => {
    devnet = await createDevnet({ genesisTimestamp: 1_700_000_000 });
  });
  after(() => devnet?.close());

  it("answers as the HTTP server does, bad requests included, and changes nothing", async () => {
    const server = await startTestDevnet({ genesisTimestamp: 1_700_000_000 });
    try {
      const requests: unknown[] = [
        { jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] },
        { jsonrpc: "2.0", id: "a", method: "eth_getBalance", params: ["0xzz", "latest"] },
        { jsonrpc: "2.0", id: 2, method: "no_such_method", params: [] },
        { jsonrpc: "1.0", id: 3, method: "eth_chainId" },
        { jsonrpc: "2.0", id: {}, method: "eth_chainId" },
        { jsonrpc: "2.0", id: 4, method: "eth_getBalance", params: ["0x0000000000000000000000000000000000000000", "latest", "extra"] },
        { jsonrpc: "2.0", id: 5, method: "eth_call", params: [{ data: `0x${"00".repeat(100_000)}` }, "latest", { a: { b: { c: {} } } }] },
        "not an object",
        null,
      ];
      for (const request of requests) {
        const http = await (
          await fetch(server.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(request) })
        ).json();
        assert.deepEqual(await answerRequest(devnet, request), http, JSON.stringify(request).slice(0, 120));
      }
      assert.equal(await devnet.request({ method: "eth_blockNumber" }), "0x0", "nothing was mined");
    } finally {
      await server.close();
    }
  });

  it("a batch (an array) is not one request: refused as an invalid request", async () => {
    const response = await answerRequest(devnet, [{ jsonrpc: "2.0", id: 1, method: "eth_chainId" }]);
    assert.equal(response?.error?.code, -32600);
  });

  it("a notification (no id) gets no answer", async () => {
    assert.equal(await answerRequest(devnet, { jsonrpc: "2.0", method: "eth_chainId" }), undefined);
  });

  it("answers are fresh objects", async () => {
    const request = { jsonrpc: "2.0", id: 1, method: "eth_getBlockByNumber", params: ["0x0", false] };
    const first = (await answerRequest(devnet, request)) as { result: { hash: string } };
    const hash = first.result.hash;
    first.result.hash = "changed";
    assert.equal(((await answerRequest(devnet, request)) as { result: { hash: string } }).result.hash, hash);
  });
});
