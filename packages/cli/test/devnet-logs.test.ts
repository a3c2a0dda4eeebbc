import assert from "node:assert/strict";
import { BITCOIN_BRIDGE } from "@bitlayer/devnet";
import { Interface } from "ethers";
import { BTC_ADDRESS, rpc, type Started, startDevnet, stop, waitFor } from "./devnet-helpers.js";

/** Every text line `bitlayer devnet` prints after "Listening on", by shape. */
const TEXT_SHAPES = [
  /^Block #\d+ 0x[0-9a-f]{64} \d+ txs?( \(\d+ system\))?$/,
  /^mined \d+ blocks \(#\d+–#\d+\)$/,
  /^ {2}console\.log: /,
  /^Bitcoin block \d+$/,
  /^Bitcoin blocks \d+–\d+ \(\d+ blocks\)$/,
  /^Batch \d+ claimed in Bitcoin block \d+ \(L2 blocks #\d+(–#\d+)?; window closes at Bitcoin block \d+\)$/,
  /^Batch \d+ anchored \(L2 blocks #\d+(–#\d+)? safe\)$/,
  /^Batch \d+ hard final \(L2 blocks #\d+(–#\d+)? finalized\)$/,
  /^Batches \d+–\d+ (claimed|anchored|hard final) \(\d+ batches, L2 blocks #\d+(–#\d+)?\)$/,
  /^Withdrawal 0x[0-9a-f]{64} of [\d.]+ BTC to bcrt1\w+ initiated in L2 block #\d+$/,
  /^Withdrawal 0x[0-9a-f]{64} (anchored|finalized)$/,
  /^Withdrawal 0x[0-9a-f]{64} paid in Bitcoin tx [0-9a-f]{64} \(Bitcoin block \d+\)$/,
  /^Deposit [0-9a-f]{64}:\d+ of [\d.]+ BTC to 0x[0-9a-fA-F]{40} (pending|confirmed) on Bitcoin$/,
  /^Deposit [0-9a-f]{64}:\d+ of [\d.]+ BTC minted to 0x[0-9a-fA-F]{40} in L2 block #\d+$/,
  /^Clock warped \+\w+ to \d{4}-\d\d-\d\dT[\d:.]+Z$/,
  /^$/,
  /^SIGTERM: shutting down$/,
];

/** A life in a few calls: a transfer, a peg-in, a peg-out, 100 000 empty blocks, and a warp past the challenge window. */
async function exercise(url: string): Promise<void> {
  const [from] = (await rpc(url, "eth_accounts")) as string[];
  await rpc(url, "eth_sendTransaction", [{ from, to: from, value: "0x1" }]);
  await rpc(url, "bitlayer_deposit", [from, 100_000]);
  const data = new Interface(["function withdraw(string)"]).encodeFunctionData("withdraw", [BTC_ADDRESS]);
  await rpc(url, "eth_sendTransaction", [{ from, to: BITCOIN_BRIDGE.address, value: `0x${(10n ** 17n).toString(16)}`, data }]);
  await rpc(url, "hardhat_mine", ["0x186a0"]);
  await rpc(url, "bitlayer_warp", [8 * 86_400]);
}

describe("bitlayer devnet line logs (no TTY)", function () {
  this.timeout(240_000);
  let devnet: Started | undefined;

  afterEach(async () => {
    if (devnet) await stop(devnet.child);
    devnet = undefined;
  });

  it("prints one event per text line, each of a known shape; 100 000 empty blocks are ONE line", async () => {
    devnet = await startDevnet([]);
    const { url, stdout } = devnet;
    await exercise(url);
    const paid = /^Withdrawal 0x[0-9a-f]{64} paid in Bitcoin tx [0-9a-f]{64}/m;
    await waitFor(
      () => paid.test(stdout()) && /^Batches? .*hard final/m.test(stdout()),
      () => stdout().slice(-2000),
    );
    assert.equal(await stop(devnet.child), 0);
    const lines = stdout().split("Listening on ")[1].split("\n").slice(1, -1);
    const unknown = lines.filter((line) => !TEXT_SHAPES.some((shape) => shape.test(line)));
    assert.deepEqual(unknown, [], "every line has a known shape");
    const runs = lines.filter((line) => line.startsWith("mined "));
    assert.equal(runs.length, 1, runs.join("\n"));
    assert.match(runs[0], /^mined 100000 blocks \(#\d+–#\d+\)$/);
    assert.ok(lines.length < 100, `${lines.length} lines, not one per block`);
    for (const shape of [
      /^Block #1 0x[0-9a-f]{64} 1 tx$/,
      /^Batch \d+ claimed in Bitcoin block/,
      /minted to 0x/,
      /initiated in L2 block/,
    ]) {
      assert.ok(
        lines.some((line) => shape.test(line)),
        `a line like ${shape}`,
      );
    }
    assert.match(stdout(), /^Clock warped \+(7d23h59m59s|8d|8d\d+s) to /m, "the warp, not the clock the 100 000 blocks moved");
    assert.equal(devnet.stderr(), "");
  });

  it("--json: every line is a JSON object with an event, the first the URL, chain id and accounts; the 100 000 blocks are one event", async () => {
    devnet = await startDevnet(["--json"]);
    const { url, stdout } = devnet;
    await exercise(url);
    await waitFor(
      () => /"event":"withdrawal"[^\n]*"status":"paid"/.test(stdout()),
      () => stdout().slice(-2000),
    );
    assert.equal(await stop(devnet.child), 0);
    const events = stdout()
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown> & { event: string });
    for (const e of events) assert.equal(typeof e.event, "string", JSON.stringify(e));
    const [listening] = events;
    assert.equal(listening.event, "listening");
    assert.equal(listening.url, url);
    assert.equal(listening.chainId, "202601");
    const accounts = listening.accounts as { address: string; privateKey: string; balance: string }[];
    assert.equal(accounts.length, 20);
    assert.equal(accounts[0].balance, (10_000n * 10n ** 18n).toString(), "bigints as decimal strings");
    assert.match(String(listening.warning), /publicly known/);
    const runs = events.filter((e) => e.event === "blocks");
    assert.deepEqual(
      runs.map((e) => e.count),
      [100_000],
    );
    assert.equal(typeof runs[0].from, "string");
    assert.ok(events.filter((e) => e.event === "block").length < 10);
    // The jump the wall clock and the blocks do not explain: the warp, give or take the seconds the calls took.
    const warp = events.find((e) => e.event === "warp") as { seconds: number } | undefined;
    assert.ok(warp && warp.seconds >= 8 * 86_400 - 5 && warp.seconds <= 8 * 86_400 + 60, JSON.stringify(warp));
    assert.ok(events.some((e) => e.event === "deposit" && e.status === "minted"));
    assert.ok(events.some((e) => (e.event === "batch" || e.event === "batches") && e.status === "final"));
    assert.deepEqual(events.at(-1), { event: "stopping", signal: "SIGTERM", stateFile: null });
  });

  it("--silent prints the banner and nothing per block", async () => {
    devnet = await startDevnet(["--silent"]);
    const [from] = (await rpc(devnet.url, "eth_accounts")) as string[];
    await rpc(devnet.url, "eth_sendTransaction", [{ from, to: from, value: "0x1" }]);
    await rpc(devnet.url, "bitlayer_warp", [3600]);
    assert.equal(await stop(devnet.child), 0);
    assert.match(devnet.stdout(), /Listening on http:\/\/127\.0\.0\.1:\d+\n\nSIGTERM: shutting down\n$/);
  });
});
