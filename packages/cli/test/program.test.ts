// The program itself: `bitlayer` alone, --version, --help on every command, unknown commands.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { buildProgram, commandPaths } from "../src/program.js";

const BIN = fileURLToPath(new URL("../../bin/bitlayer.js", import.meta.url));
const pkg = JSON.parse(readFileSync(fileURLToPath(new URL("../../package.json", import.meta.url)), "utf8")) as { version: string };

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("bitlayer (the program)", function () {
  this.timeout(120_000);

  it("alone prints the help, listing every command, and exits 0", async () => {
    const r = await cli([]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Usage: bitlayer \[options\] \[command\]/);
    for (const name of [
      "init",
      "devnet",
      "dev",
      "test",
      "status",
      "finality",
      "warp",
      "btc",
      "deposit",
      "withdrawals",
      "fraud",
      "recover",
    ]) {
      assert.match(r.stdout, new RegExp(`\\n  ${name}\\b`), `bitlayer lists ${name}`);
    }
    assert.equal(r.stderr, "");
  });

  it("--version and -v print the package's version", async () => {
    for (const flag of ["--version", "-v"]) {
      const r = await cli([flag]);
      assert.equal(r.code, 0);
      assert.equal(r.stdout.trim(), pkg.version);
    }
  });

  it("every command and subcommand answers --help with its usage, exit 0", async () => {
    for (const { path } of commandPaths(buildProgram())) {
      if (path === "help" || path.endsWith(" help")) continue;
      const r = await cli([...path.split(" "), "--help"]);
      assert.equal(r.code, 0, `bitlayer ${path} --help: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^Usage: bitlayer ${path}\\b`), `bitlayer ${path} --help`);
    }
  });

  it("an unknown command is one error line and exit 1", async () => {
    const r = await cli(["deploy-everything"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: unknown command 'deploy-everything'\n/);
  });
});
