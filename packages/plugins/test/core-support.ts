// Shared by the core-*.test.ts files: an EIP-1193 provider over HTTP, Anvil on a free port, and an assertion on
// BitlayerHelperError codes.

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createDevnet, type Devnet } from "@bitlayer/devnet";
import { BitlayerHelperError, type BitlayerHelperErrorCode, type Eip1193Provider, type Hex } from "../src/index.js";

/** A minimal EIP-1193 provider over HTTP JSON-RPC; it counts the requests sent and records their methods. */
export function httpProvider(url: string): Eip1193Provider & { methods: string[] } {
  let id = 0;
  const methods: string[] = [];
  return {
    methods,
    async request({ method, params }) {
      methods.push(method);
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params: params ?? [] }),
      });
      const body = (await response.json()) as { result?: unknown; error?: { code: number; message: string; data?: unknown } };
      if (body.error) throw Object.assign(new Error(body.error.message), body.error);
      return body.result;
    },
  };
}

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, "utf8")) as { workspaces?: unknown }).workspaces) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error("repository root not found");
    dir = parent;
  }
}

/** Anvil's native binary from @foundry-rs/anvil's platform package (the .bin wrapper does not forward signals well). */
function anvilBin(): string {
  const arch = { x64: "amd64", arm64: "arm64" }[process.arch as string];
  const native = join(repoRoot(), "node_modules", "@foundry-rs", `anvil-${process.platform}-${arch}`, "bin", "anvil");
  if (existsSync(native)) return native;
  const wrapper = join(repoRoot(), "node_modules", ".bin", "anvil");
  if (!existsSync(wrapper)) throw new Error("anvil not found: run npm install at the repository root (@foundry-rs/anvil)");
  return wrapper;
}

/** Starts Anvil on 127.0.0.1 and a free port (port 0: Anvil picks it and prints it). */
export async function startAnvil(): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(anvilBin(), ["--host", "127.0.0.1", "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`anvil did not start:\n${output}`)), 20_000);
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`anvil exited (${code}):\n${output}`)));
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk;
      const match = /Listening on (127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(`http://${match[1]}`);
      }
    });
  });
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        if (child.pid !== undefined) process.kill(child.pid, "SIGTERM");
      }),
  };
}

/** Asserts that `promise` rejects with a BitlayerHelperError of `code`; returns the error. */
export async function rejectsWith(
  promise: Promise<unknown>,
  code: BitlayerHelperErrorCode,
  message?: RegExp,
): Promise<BitlayerHelperError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  assert.ok(
    caught instanceof BitlayerHelperError,
    `expected a BitlayerHelperError ${code}; got ${caught === undefined ? "no error" : String(caught)}`,
  );
  assert.equal(caught.code, code, caught.message);
  if (message) assert.match(caught.message, message);
  return caught;
}

/**
 * A fresh in-process devnet for each test of the calling suite (genesis fixed), with two dev accounts and a
 * one-wei transfer between them. Call inside `describe`.
 */
export function devnetPerTest(): { readonly devnet: Devnet; readonly from: Hex; readonly to: Hex; send(): Promise<Hex> } {
  const state = {} as { devnet: Devnet; from: Hex; to: Hex };
  beforeEach(async () => {
    state.devnet = await createDevnet({ genesisTimestamp: 1_700_000_000 });
    state.from = state.devnet.accounts[0].address as Hex;
    state.to = state.devnet.accounts[1].address as Hex;
  });
  afterEach(() => state.devnet.close());
  return {
    get devnet() {
      return state.devnet;
    },
    get from() {
      return state.from;
    },
    get to() {
      return state.to;
    },
    send: () =>
      state.devnet.provider.request({
        method: "eth_sendTransaction",
        params: [{ from: state.from, to: state.to, value: "0x1" }],
      }) as Promise<Hex>,
  };
}
