// The servers write their own HTTP Date header (node:http's goes through V8's time-zone code and ICU's data): it must
// be the header node:http wrote, `toUTCString` of the time, on every answer of both servers.

import assert from "node:assert/strict";
import { startBitcoinRpcServer } from "../src/bitcoin/rpc/index.js";
import { formatHttpDate, httpDate } from "../src/server/http-date.js";
import { bitcoinHost } from "./support/bitcoin-host.js";
import { random } from "./support/random.js";
import { startTestDevnet } from "./support/server.js";

const MAX_HTTP_DATE = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Asserts an answer's Date header is toUTCString of a whole second in [before, after]. */
function assertDateBetween(header: string | null, before: number, after: number): void {
  assert.ok(header, "an answer without a Date header");
  const ms = Date.parse(header);
  assert.equal(header, new Date(ms).toUTCString());
  assert.ok(ms >= Math.floor(before / 1000) * 1000 && ms <= after, `${header} is not between ${before} and ${after}`);
}

describe("server: HTTP Date header", function () {
  this.timeout(60_000);

  it("formatHttpDate gives what toUTCString gives, over years 1970 to 9999", () => {
    const times = [0, 1, 999, 1000, 86_399_999, Date.UTC(2000, 1, 29, 23, 59, 59), Date.UTC(2100, 2, 1), MAX_HTTP_DATE];
    const { next } = random(20261201);
    for (let i = 0; i < 2000; i++) times.push(Math.floor(next() * MAX_HTTP_DATE));
    for (const ms of times) assert.equal(formatHttpDate(ms), new Date(ms).toUTCString(), `at ${ms}`);
  });

  it("httpDate changes with the second, not within it", () => {
    const second = Date.UTC(2026, 11, 1, 2, 30, 15);
    assert.equal(httpDate(second), "Tue, 01 Dec 2026 02:30:15 GMT");
    assert.equal(httpDate(second + 999), "Tue, 01 Dec 2026 02:30:15 GMT");
    assert.equal(httpDate(second + 1000), "Tue, 01 Dec 2026 02:30:16 GMT");
    assert.equal(httpDate(second - 1), "Tue, 01 Dec 2026 02:30:14 GMT");
  });

  it("the L2 server's answers carry it: JSON-RPC, GET, OPTIONS, errors", async () => {
    const net = await startTestDevnet();
    try {
      const requests: RequestInit[] = [
        { method: "POST", headers: { "content-type": "application/json" }, body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}' },
        { method: "GET" },
        { method: "OPTIONS" },
        { method: "PUT", body: "{}" },
        { method: "POST", body: "not json" },
      ];
      for (const init of requests) {
        const before = Date.now();
        const res = await fetch(net.url, init);
        await res.arrayBuffer();
        assertDateBetween(res.headers.get("date"), before, Date.now());
        assert.equal(res.headers.get("date"), res.headers.get("Date"));
      }
    } finally {
      await net.close();
    }
  });

  it("the Bitcoin RPC server's answers carry it, refusals included", async () => {
    const server = await startBitcoinRpcServer(bitcoinHost(), { port: 0 });
    try {
      const authorization = `Basic ${Buffer.from("devnet:devnet").toString("base64")}`;
      const requests: RequestInit[] = [
        { method: "POST", headers: { authorization }, body: '{"jsonrpc":"1.0","id":1,"method":"getblockcount","params":[]}' },
        { method: "POST", body: "{}" }, // no credentials: 401
        { method: "GET", headers: { authorization } }, // 405
      ];
      for (const init of requests) {
        const before = Date.now();
        const res = await fetch(server.url, init);
        await res.arrayBuffer();
        assertDateBetween(res.headers.get("date"), before, Date.now());
      }
    } finally {
      await server.close();
    }
  });
});
