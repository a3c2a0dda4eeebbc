// The client commands against a running devnet (`bitlayer devnet` in a child process): each command's text and
// --json output, what it changed on the devnet, and bad arguments refused in one line with nothing changed.

import assert from "node:assert/strict";
import { type Hex, withdraw } from "@bitlayer/plugins";
import { httpProvider } from "../src/commands/client/rpc.js";
import { type CliResult, cli, rpc, type Started, startDevnet } from "./client-support.js";

const ALICE = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
const BOB = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const BTC_ADDRESS = "bcrt1qlqj2pdsteppkcr8jkp9ms0wpvey89tna8v72sj";

/** A failed command: exit 1, one `error: ...` line on stderr matching `message`, nothing on stdout. */
function assertOneLineError(r: CliResult, message: RegExp): void {
  assert.equal(r.code, 1, `${r.stdout}${r.stderr}`);
  assert.match(r.stderr, /^error: /);
  assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  assert.match(r.stderr, message);
}

function json<T>(r: CliResult): T {
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as T;
}

describe("bitlayer client commands against a running devnet", function () {
  this.timeout(120_000);
  let devnet: Started;
  let run: (...args: string[]) => Promise<CliResult>;

  before(async () => {
    devnet = await startDevnet();
    run = (...args) => cli([...args, "--rpc-url", devnet.url]);
  });
  after(async () => {
    await devnet?.stop();
  });

  const send = () => rpc<Hex>(devnet.url, "eth_sendTransaction", [{ from: ALICE, to: BOB, value: "0x1" }]);
  const status = () => rpc<{ time: number; bitcoin: { height: number }; halted: unknown }>(devnet.url, "bitlayer_status");

  it("status: heads by level, Bitcoin height, batches, running, devnet time (text, and --json)", async () => {
    const text = await run("status");
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^Devnet: +http:\/\/127\.0\.0\.1:\d+$/m);
    assert.match(text.stdout, /^Time: +2023-11-14T22:13:20Z \(1700000000\)$/m);
    assert.match(text.stdout, /^Soft \(latest\): +block #0$/m);
    assert.match(text.stdout, /^Anchored \(safe\): +block #0$/m);
    assert.match(text.stdout, /^Hard \(finalized\): +block #0$/m);
    assert.match(text.stdout, /^Bitcoin: +height 110; next block in 10m \(one every 10m\)$/m);
    assert.match(text.stdout, /^Batches: +0$/m);
    assert.match(text.stdout, /^Settlement: +optimistic; anchored at 6 confirmations; window 1008 Bitcoin blocks \(7d\)$/m);
    assert.match(text.stdout, /^L2: +running$/m);
    const doc = json<{ l2: { latest: string }; bitcoin: { height: number }; halted: unknown; time: number }>(await run("status", "--json"));
    assert.equal(doc.l2.latest, "0x0");
    assert.equal(doc.bitcoin.height, 110);
    assert.equal(doc.halted, null);
    assert.equal(doc.time, 1700000000);
  });

  it("finality <tx> and <block>: level, block, batch, claim, window; an unknown tx and a malformed one are one-line errors", async () => {
    const hash = await send();
    const text = await run("finality", hash);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^Level: +soft \(/m);
    assert.match(text.stdout, new RegExp(`^Transaction: +${hash}$`, "m"));
    assert.match(text.stdout, /^Block: +#\d+ 0x[0-9a-f]{64}$/m);
    assert.match(text.stdout, /^Batch: +- \(not sealed yet\)$/m);
    const doc = json<{ level: string; blockNumber: string }>(await run("finality", hash, "--json"));
    assert.equal(doc.level, "soft");
    const byBlock = json<{ level: string; blockHash: string }>(await run("finality", String(BigInt(doc.blockNumber)), "--json"));
    assert.equal(byBlock.level, "soft");
    assertOneLineError(await run("finality", `0x${"ab".repeat(32)}`), /bitlayer_getFinality/);
    assertOneLineError(await run("finality", "0x1234"), /expected a transaction hash \(0x \+ 64 hex digits\) or an L2 block number/);
  });

  it("warp <duration>: moves both chains' clock; --until anchored/hard <tx> warps to the level; a bad duration changes nothing", async () => {
    const before = await status();
    const moved = json<{ from: number; to: number; bitcoinBlocks: number }>(await run("warp", "1h30m", "--json"));
    assert.equal(moved.to - moved.from, 5400);
    assert.equal(moved.bitcoinBlocks, 9);
    assert.equal((await status()).bitcoin.height, before.bitcoin.height + 9);

    const hash = await send();
    const text = await run("warp", "--until", "hard", hash);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^Warped: +\S+: \S+ → \S+$/m);
    assert.match(text.stdout, /^Level: +hard \(final/m);
    assert.match(text.stdout, /^Claim: +[0-9a-f]{64} at Bitcoin height \d+ \(\d+ confirmations\)$/m);
    assert.match(text.stdout, /^Window closes at: +Bitcoin height \d+ \(closed\)$/m);
    const anchored = json<{ finality: { level: string } }>(await run("warp", "--until", "anchored", await send(), "--json"));
    assert.equal(anchored.finality.level, "anchored");

    const unchanged = await status();
    for (const args of [["7days"], ["0"], ["--until", "soft", hash], ["--until", "hard", "12x"]]) {
      const r = await run("warp", ...args);
      assert.equal(r.code, 1, args.join(" "));
      assert.match(r.stderr, /^error: /);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    }
    assertOneLineError(await run("warp", "7days"), /expected a duration such as 7d, 1h30m or 3600 \(seconds\), got "7days"/);
    assert.deepEqual(await status(), unchanged, "nothing moved");
  });

  it("btc mine <n> mines Bitcoin blocks (--address for the rewards); a bad count or address is refused", async () => {
    const { bitcoin } = await status();
    const text = await run("btc", "mine", "3");
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`^Mined: +3 Bitcoin blocks, height ${bitcoin.height + 3}$`, "m"));
    const doc = json<{ blocks: string[]; height: number }>(await run("btc", "mine", "--address", BTC_ADDRESS, "--json"));
    assert.equal(doc.blocks.length, 1);
    assert.equal(doc.height, bitcoin.height + 4);
    assertOneLineError(await run("btc", "mine", "0"), /expected a number from 1 to 10000, got 0/);
    assertOneLineError(await run("btc", "mine", "1", "--address", "not-an-address"), /bitlayer_mineBitcoin/);
    assert.equal((await status()).bitcoin.height, bitcoin.height + 4);
  });

  it("deposit <l2-address> <amount>: a whole peg-in, minted on the L2; bad amounts and addresses are refused", async () => {
    const recipient = "0x00000000000000000000000000000000000d3905";
    const text = await run("deposit", recipient, "0.5");
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`^Deposit: +0\\.5 BTC to ${recipient}: minted$`, "m"));
    assert.match(text.stdout, /^Bitcoin tx: +[0-9a-f]{64}:\d+ at height \d+ \(\d+ confirmations\)$/m);
    assert.match(text.stdout, /^Minted: +L2 block #\d+, tx 0x[0-9a-f]{64}$/m);
    assert.equal(BigInt(await rpc<string>(devnet.url, "eth_getBalance", [recipient, "latest"])), 5n * 10n ** 17n);
    const doc = json<{ amountSats: number; status: string }>(await run("deposit", recipient, "0.00012345", "--json"));
    assert.deepEqual([doc.amountSats, doc.status], [12345, "minted"]);
    const height = (await status()).bitcoin.height;
    for (const [args, message] of [
      [[recipient, "0"], /more than 0/],
      [[recipient, "-1"], /expected an amount of BTC such as 0\.5/],
      [[recipient, "0.123456789"], /at most 8 decimals/],
      [[recipient, "abc"], /expected an amount of BTC/],
      [["0x1234", "1"], /expected an L2 address/],
    ] as const) {
      assertOneLineError(await run("deposit", ...args), message);
    }
    assert.equal((await status()).bitcoin.height, height, "nothing was sent");
  });

  it("withdrawals [address]: lists peg-outs, all or by L2 sender or Bitcoin address", async () => {
    const empty = await run("withdrawals", BOB);
    assert.equal(empty.code, 0, empty.stderr);
    assert.equal(empty.stdout.trim(), `No withdrawals for ${BOB}.`);
    const { withdrawalId } = await withdraw(httpProvider(devnet.url), { from: ALICE, btcAddress: BTC_ADDRESS, amountSats: 100_000 });
    const text = await run("withdrawals");
    assert.equal(text.code, 0, text.stderr);
    const [header, row] = text.stdout.trim().split("\n");
    assert.match(header, /^# +STATUS +SATS +FROM +TO \(BITCOIN\) +L2 BLOCK +BATCH +BITCOIN PAYMENT$/);
    assert.match(row, new RegExp(`^0 +initiated +100000 +${ALICE} +${BTC_ADDRESS} +#\\d+ +- +-$`));
    const bySender = json<{ id: string }[]>(await run("withdrawals", ALICE, "--json"));
    assert.deepEqual(
      bySender.map((w) => w.id),
      [withdrawalId],
    );
    const byBitcoin = json<{ id: string }[]>(await run("withdrawals", BTC_ADDRESS, "--json"));
    assert.deepEqual(
      byBitcoin.map((w) => w.id),
      [withdrawalId],
    );
    assert.deepEqual(json(await run("withdrawals", BOB, "--json")), []);
    assertOneLineError(await run("withdrawals", "bc1-not-regtest"), /expected an L2 address .* or a regtest Bitcoin address/);
  });

  it("fraud, then a block and Bitcoin blocks: the L2 halts (status says so); recover resumes it; recover when running is refused", async () => {
    assertOneLineError(await run("recover"), /^error: the L2 is not halted: there is nothing to recover\n$/);
    assertOneLineError(await run("fraud", "--root", "0x12"), /expected a state root/);
    const fraud = await run("fraud");
    assert.equal(fraud.code, 0, fraud.stderr);
    assert.match(fraud.stdout, /^Fraud: +injected: batch #\d+'s claim will carry a wrong state root$/m);
    assert.match((await run("status")).stdout, /^Fraud: +injected into the next claim$/m);
    await send();
    assert.equal((await run("btc", "mine", "10")).code, 0);
    const halted = await run("status");
    assert.match(halted.stdout, /^L2: +HALTED at batch #\d+ \(Bitcoin block \d+\): .*`bitlayer recover` resumes it$/m);
    const recovered = await run("recover");
    assert.equal(recovered.code, 0, recovered.stderr);
    assert.match(recovered.stdout, /^Recovered: +rolled back to L2 block #\d+$/m);
    assert.match(recovered.stdout, /^Dropped: +\d+ blocks?, \d+ pooled transactions?$/m);
    assert.match(recovered.stdout, /^Claim chain: +#1$/m);
    assert.match((await run("status")).stdout, /^L2: +running$/m);
    const again = json<{ batch: number }>(await run("fraud", "--root", `0x${"12".repeat(32)}`, "--json"));
    assert.equal(typeof again.batch, "number");
  });

  it("--help for every command: what it does, its flags, an example", async () => {
    for (const command of [["status"], ["finality"], ["warp"], ["btc", "mine"], ["deposit"], ["withdrawals"], ["fraud"], ["recover"]]) {
      const r = await cli([...command, "--help"]);
      assert.equal(r.code, 0, command.join(" "));
      assert.match(r.stdout, new RegExp(`^Usage: bitlayer ${command.join(" ")} `), r.stdout);
      assert.match(
        r.stdout,
        /--rpc-url <url> +JSON-RPC URL of the devnet \(default:\s+"http:\/\/127\.0\.0\.1:8545",\s+env: BITLAYER_RPC_URL\)/,
      );
      assert.match(r.stdout, /--json/);
      assert.match(r.stdout, new RegExp(`Examples?:\\n  bitlayer ${command.join(" ")}`), r.stdout);
    }
    const btc = await cli(["btc", "--help"]);
    assert.match(btc.stdout, /mine \[options\] \[count\]/);
  });
});
