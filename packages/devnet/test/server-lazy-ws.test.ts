// The server loads ws with its first WebSocket client, not at start: that first client (or several at once, while
// it loads) must still be answered, as every later one is.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const entry = fileURLToPath(new URL("../src/index.js", import.meta.url));

/** Runs a fresh Node that starts a devnet server, then `body`; returns what `body` printed and whether ws was loaded before it. */
async function run(body: string): Promise<{ wsAtStart: boolean; out: unknown }> {
  const script = `
    import { registerHooks } from "node:module";
    const loaded = new Set();
    registerHooks({ load(url, context, next) { loaded.add(url); return next(url, context); } });
    const { createDevnet, startServer } = await import(${JSON.stringify(entry)});
    const devnet = await createDevnet({ genesisTimestamp: 1_700_000_000 });
    const server = await startServer(devnet, { port: 0 });
    const wsAtStart = [...loaded].some((url) => url.includes("/node_modules/ws/"));
    const { default: WebSocket } = await import("ws");
    const ask = (method, params = []) => new Promise((resolve, reject) => {
      const socket = new WebSocket(server.wsUrl);
      socket.on("error", reject);
      socket.on("open", () => socket.send(JSON.stringify({ jsonrpc: "2.0", id: 7, method, params })));
      socket.on("message", (data) => { socket.close(); resolve(JSON.parse(data.toString())); });
    });
    const out = await (async () => { ${body} })();
    await server.close();
    await devnet.close();
    process.stdout.write(JSON.stringify({ wsAtStart, out }));
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], { timeout: 60_000 });
  return JSON.parse(stdout) as { wsAtStart: boolean; out: unknown };
}

describe("server: ws loads with the first WebSocket client", function () {
  this.timeout(60_000);

  it("starting the server does not load ws; the first WebSocket request is answered", async () => {
    const { wsAtStart, out } = await run(`return ask("eth_chainId");`);
    assert.equal(wsAtStart, false);
    assert.deepEqual(out, { jsonrpc: "2.0", id: 7, result: "0x31769" });
  });

  it("several first clients at once (while ws loads) are all answered", async () => {
    const { out } = await run(`return Promise.all([ask("eth_chainId"), ask("eth_blockNumber"), ask("net_version")]);`);
    assert.deepEqual(out, [
      { jsonrpc: "2.0", id: 7, result: "0x31769" },
      { jsonrpc: "2.0", id: 7, result: "0x0" },
      { jsonrpc: "2.0", id: 7, result: "202601" },
    ]);
  });
});
