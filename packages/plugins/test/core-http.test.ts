// The helper core against a devnet over HTTP (a running `bitlayer devnet`): the devnet's stable code then comes in
// error.data.code, and the helpers read it there too.

import assert from "node:assert/strict";
import { createDevnet, type Devnet, type DevnetServer, startServer } from "@bitlayer/devnet";
import { getFinality, getStatus, type Hex, injectFraud, isDevnet, mineBitcoin, recover, waitForFinality, withdraw } from "../src/index.js";
import { httpProvider, rejectsWith } from "./core-support.js";

describe("core helpers on a devnet over HTTP", function () {
  this.timeout(60_000);
  let devnet: Devnet;
  let server: DevnetServer;

  before(async () => {
    devnet = await createDevnet({ genesisTimestamp: 1_700_000_000 });
    server = await startServer(devnet, { host: "127.0.0.1", port: 0 });
  });
  after(async () => {
    await server?.close();
    await devnet?.close();
  });

  it("finality with warp, UNKNOWN_TRANSACTION, HALTED and recover, with the devnet's codes in cause", async () => {
    const provider = httpProvider(server.url);
    assert.equal(await isDevnet(provider), true);
    const [from, to] = (await provider.request({ method: "eth_accounts" })) as Hex[];
    const send = () => provider.request({ method: "eth_sendTransaction", params: [{ from, to, value: "0x1" }] }) as Promise<Hex>;
    const hash = await send();
    assert.equal((await waitForFinality(provider, hash, "hard", { warp: true })).level, "hard");
    const unknown = await rejectsWith(getFinality(provider, `0x${"22".repeat(32)}`), "UNKNOWN_TRANSACTION");
    assert.equal((unknown.cause as { reason?: string }).reason, "UNKNOWN_TRANSACTION");

    await injectFraud(provider);
    await send();
    await mineBitcoin(provider, 5);
    assert.ok((await getStatus(provider)).halted);
    const btcAddress = (await devnet.bitcoinRequest("getnewaddress")) as string;
    const halted = await rejectsWith(withdraw(provider, { from, btcAddress, amountSats: 10_000 }), "HALTED");
    const cause = halted.cause as { code: number; reason?: string; data: { code: string; details: { batch: number } } };
    assert.equal(cause.code, -32000);
    assert.equal(cause.reason, "L2_HALTED");
    assert.equal(cause.data.details.batch, 1);
    await recover(provider);
    const notHalted = await rejectsWith(recover(provider), "RPC_ERROR");
    assert.equal((notHalted.cause as { reason?: string }).reason, "NOT_HALTED");
  });
});
