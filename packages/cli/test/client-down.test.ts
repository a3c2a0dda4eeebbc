// The client commands when no devnet answers: nothing listening (connection refused), a node that is not the devnet
// (Anvil), a server that never answers (the request timeout) — one line, exit code 1, and with --json one JSON document.

import assert from "node:assert/strict";
import { createServer, type Server, type Socket } from "node:net";
import { type CliResult, cli, type Started, startAnvil } from "./client-support.js";

const TX = `0x${"ab".repeat(32)}`;
/** Every client command, with valid arguments. */
const COMMANDS = [
  ["status"],
  ["finality", TX],
  ["warp", "7d"],
  ["warp", "--until", "hard", TX],
  ["btc", "mine", "2"],
  ["deposit", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "0.5"],
  ["withdrawals"],
  ["fraud"],
  ["recover"],
];

function assertOneLine(r: CliResult, line: string, what: string): void {
  assert.equal(r.code, 1, `${what}: ${r.stdout}${r.stderr}`);
  assert.equal(r.stderr, `${line}\n`, what);
}

/** A port nothing listens on: bound then released. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("bitlayer client commands with no devnet", function () {
  this.timeout(120_000);

  it("nothing listening: each command says so in one line, names the URL and `bitlayer devnet`, exits 1", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const line = `error: no devnet answers at ${url} (connection refused); start one with \`bitlayer devnet\``;
    for (const args of COMMANDS) assertOneLine(await cli([...args, "--rpc-url", url]), line, args.join(" "));
  });

  it("BITLAYER_RPC_URL is the default URL; --json prints the error as one JSON document too", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const r = await cli(["status", "--json"], { BITLAYER_RPC_URL: url });
    assert.equal(r.code, 1);
    assert.deepEqual(JSON.parse(r.stdout), {
      error: {
        code: "DEVNET_UNREACHABLE",
        message: `no devnet answers at ${url} (connection refused); start one with \`bitlayer devnet\``,
      },
    });
    assert.equal(r.stderr.trim().split("\n").length, 1);
  });

  it("a malformed --rpc-url is refused in one line", async () => {
    const r = await cli(["status", "--rpc-url", "ftp://127.0.0.1"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: option '--rpc-url <url>' argument 'ftp:\/\/127\.0\.0\.1' is invalid\. expected an http\(s\) URL/);
    assert.equal(r.stderr.trim().split("\n").length, 1);
  });

  describe("a node that is not the devnet (Anvil)", () => {
    let anvil: Started;
    before(async () => {
      anvil = await startAnvil();
    });
    after(async () => {
      await anvil?.stop();
    });

    it("each command says it is not a Bitlayer devnet, in one line, exit 1, and sends nothing that changes it", async () => {
      for (const args of COMMANDS) {
        const r = await cli([...args, "--rpc-url", anvil.url]);
        assertOneLine(
          r,
          `error: the node at ${anvil.url} is not a Bitlayer devnet (anvil/v1.7.1: no bitlayer_* methods); start one with \`bitlayer devnet\``,
          args.join(" "),
        );
      }
      const json = await cli(["status", "--json", "--rpc-url", anvil.url]);
      assert.equal(json.code, 1);
      assert.equal((JSON.parse(json.stdout) as { error: { code: string } }).error.code, "NOT_A_DEVNET");
      const res = await fetch(anvil.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }),
      });
      assert.equal(((await res.json()) as { result: string }).result, "0x0", "no block was mined on Anvil");
    });
  });

  describe("a server that accepts connections and never answers", () => {
    let server: Server;
    let url: string;
    const sockets: Socket[] = [];
    before(async () => {
      // Holds each connection open without a byte in return.
      server = createServer((socket) => sockets.push(socket));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    });
    after(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    });

    it("the request times out: one line, exit 1", async () => {
      const r = await cli(["status", "--rpc-url", url]);
      assertOneLine(r, `error: no devnet answers at ${url} (no answer within 5 s); start one with \`bitlayer devnet\``, "status");
    });
  });
});
