import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { JsonRpcProvider } from "ethers";
import { countdown, type DashboardInfo, dashboardElement, levelOf } from "../src/devnet/dashboard.js";
import type { DevnetModel } from "../src/devnet/feed.js";
import { BIN, freePort, waitFor } from "./devnet-helpers.js";

/** Our own tmux server (its own socket), so the test touches no one else's sessions. */
const SOCKET = `bitlayer-test-${process.pid}`;
const SESSION = `devnet-dashboard-${process.pid}`;

function tmux(...args: string[]): string {
  return execFileSync("tmux", ["-L", SOCKET, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** tmux is a Debian package: install it when missing (CI runs as root), or fail in one line. */
function ensureTmux(): void {
  const has = () => {
    try {
      execFileSync("tmux", ["-V"], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  };
  if (has()) return;
  try {
    execFileSync("apt-get", ["install", "-y", "tmux"], { stdio: "ignore", timeout: 300_000 });
  } catch {
    // reported below
  }
  if (!has()) throw new Error("tmux is missing and `apt-get install -y tmux` did not install it (run as root, or install tmux first)");
}

const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

describe("bitlayer devnet dashboard (ink, in a real terminal under tmux)", function () {
  this.timeout(240_000);
  let dir: string;

  before(() => {
    ensureTmux();
    dir = mkdtempSync(join(tmpdir(), "bitlayer-dashboard-"));
  });

  after(() => {
    for (const args of [["kill-session", "-t", SESSION], ["kill-server"]]) {
      try {
        tmux(...args);
      } catch {
        // already gone
      }
    }
  });

  it("shows the heads by finality level, batches with a countdown bar, transactions; Ctrl-C saves the state and exits 0", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const state = join(dir, "devnet.json");
    const exit = join(dir, "exit-code");
    // CI=0: ink draws only a final frame under CI, and the command prefers line logs there.
    const command = `env CI=0 CONTINUOUS_INTEGRATION=0 ${quote(process.execPath)} ${quote(BIN)} devnet --port ${port} --btc-port 0 --state ${quote(state)}; echo $? > ${quote(exit)}`;
    tmux("new-session", "-d", "-x", "160", "-y", "50", "-s", SESSION, command);
    tmux("set-option", "-t", SESSION, "remain-on-exit", "on");
    const screen = () => tmux("capture-pane", "-p", "-t", SESSION);

    const provider = new JsonRpcProvider(url, 202601, { staticNetwork: true, polling: true });
    await waitFor(
      async () => (await provider.send("eth_chainId", []).catch(() => null)) === "0x31769",
      () => screen(),
    );
    const signer = await provider.getSigner(0);
    const send = async () => (await signer.sendTransaction({ to: signer.address, value: 1n })).wait();
    await send();
    await provider.send("bitlayer_warp", [8 * 86_400]); // block 1: past its window, hard final
    // The dashboard polls (300 ms) and shows the last 5 events, a poll's warp first: both warps in one poll would
    // be one jump, pushed off the list by the batch events that follow it. The first is seen before the second.
    await waitFor(
      () => /Clock warped \+/.test(screen()),
      () => `no warp on the screen:\n${screen()}`,
    );
    await send();
    await send();
    await provider.send("bitlayer_warp", [7200]); // blocks 2–3: claimed and anchored, window running
    provider.destroy();

    const expected = [
      /latest \(soft\) #3/,
      /safe \(anchored\) #3/,
      /finalized \(hard\) #1/,
      /^\s*1\s+#2–#3\s+anchored\s+\[█*░+\] \d+%\s+\d+d\w* left to hard$/m, // the countdown bar of the open window
      /^\s*0\s+#1\s+hard final\s+\[█+\] 100%\s+hard$/m,
      /block #1\s+hard$/m,
      /block #3\s+anchored$/m,
      /Clock warped \+(1h59m59s|2h|2h1s) /, // the jump nothing else explains, to the second the polls can tell
    ];
    await waitFor(
      () => expected.every((re) => re.test(screen())),
      () => `missing ${expected.filter((re) => !re.test(screen())).join(", ")} on the screen:\n${screen()}`,
    );
    const text = screen();
    for (const word of ["soft", "anchored", "hard", "Bitcoin", "Batches", "Recent transactions", "Withdrawals"])
      assert.ok(text.includes(word), word);

    tmux("send-keys", "-t", SESSION, "C-c");
    await waitFor(
      () => existsSync(exit) && readFileSync(exit, "utf8").trim() !== "",
      () => screen(),
    );
    assert.equal(readFileSync(exit, "utf8").trim(), "0", screen());
    assert.match(readFileSync(state, "utf8"), /bitlayer-devnet-state/);
    // The last frame stays, and the shutdown lines come below it (ink gave the terminal back first).
    assert.match(
      screen(),
      /finalized \(hard\) #1[\s\S]*SIGINT: shutting down, saving state to .*devnet\.json\nSaved state to .*devnet\.json/,
    );
  });
});

describe("bitlayer devnet dashboard (rendering)", () => {
  const model: DevnetModel = {
    time: 1_700_000_000,
    heads: { latest: 12n, safe: 8n, finalized: 4n },
    bitcoin: { height: 200, blockTime: 600, nextBlockAt: 1_700_000_300 },
    rollup: { mode: "optimistic", watcher: true, confirmations: 6, windowBlocks: 1008, batches: 2 },
    batches: [
      { index: 0, status: "final", mode: "optimistic", firstBlock: 1n, lastBlock: 4n, claimHeight: 0, anchoredAt: 5, windowClosesAt: 100 },
      {
        index: 1,
        status: "anchored",
        mode: "optimistic",
        firstBlock: 5n,
        lastBlock: 8n,
        claimHeight: 150,
        anchoredAt: 155,
        windowClosesAt: 250,
      },
    ],
    transactions: [{ hash: `0x${"ab".repeat(32)}`, block: 12n }],
    withdrawals: [],
    deposits: 0,
    halted: { batch: 1, bitcoinHeight: 199, bitcoinBlock: "00".repeat(32), reason: "batch 1 disproved" },
  };
  const info: DashboardInfo = {
    chainId: 202601n,
    url: "http://127.0.0.1:8545",
    bitcoinUrl: "http://127.0.0.1:18443",
    preset: "mainnet",
    accounts: 20,
  };

  it("levels and countdowns come from the heads and the Bitcoin height", () => {
    assert.equal(levelOf(3n, model.heads), "hard");
    assert.equal(levelOf(8n, model.heads), "anchored");
    assert.equal(levelOf(9n, model.heads), "soft");
    assert.deepEqual(countdown(model.batches[1], model.bitcoin), { fraction: 0.5, secondsLeft: 50 * 600 });
  });

  it("draws the header, heads, a half-elapsed window bar, and the red HALTED banner", async () => {
    const react = (await import("react")).default;
    const ink = await import("ink");
    // Without colour codes: chalk colours the string when FORCE_COLOR is set (as CI systems do).
    const text = stripVTControlCharacters(
      ink.renderToString(dashboardElement(react, ink, model, info, ["Bitcoin block 200"]), { columns: 160 }),
    );
    assert.match(
      text,
      /chain 202601 {2}· {2}RPC http:\/\/127\.0\.0\.1:8545 {2}· {2}Bitcoin RPC http:\/\/127\.0\.0\.1:18443 {2}· {2}preset mainnet/,
    );
    assert.match(text, /Devnet clock 2023-11-14 22:13:20 UTC/);
    assert.match(text, /latest \(soft\) #12 +safe \(anchored\) #8 +finalized \(hard\) #4/);
    assert.match(text, /\[█{15}░{15}\] 50% +8h20m left to hard/);
    assert.match(text, /L2 HALTED: batch 1 disproved \(Bitcoin block 199\)/);
    assert.match(text, /block #12 +soft/);
    assert.match(text, /publicly known/);
  });
});
