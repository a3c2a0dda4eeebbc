// The Devkit used outside this checkout, as a new user would, following the README: `npm run pack` in the clone,
// `npm install --global ./packs/bitlayer-cli-<v>.tgz` (into a temporary prefix, so the machine's global folder is
// untouched), then in a temporary folder `bitlayer init app --template <t> --yes` and `npm test` in it, for each
// template. Everything runs on the machine's own Node and npm (this checkout's Node 22 and binaries are left out of
// PATH); the projects bring their own Node 22 for Hardhat. npm prefers its cache (--prefer-offline), so that this
// runs in about a minute per template where the repo's install filled the cache. Steps in order: each needs the last.

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { explain, REPO, run, userEnv } from "./init-support.js";

const VERSION = (JSON.parse(readFileSync(join(REPO, "packages/cli/package.json"), "utf8")) as { version: string }).version;

/** What each template's `npm test` must show passing. */
const TESTS: Record<string, { suite: string; names: string[] }> = {
  starter: {
    suite: "Counter",
    names: [
      "increments and emits Incremented",
      "rejects an amount out of range with TooLarge",
      "is soft final as soon as it is mined: the L2's validators committed the block",
      "is hard final once its batch, committed on Bitcoin, outlives the 7-day challenge window (warped)",
    ],
  },
  bridge: {
    suite: "BtcVault",
    names: [
      "takes BTC pegged in from Bitcoin: a new user deposits it into the vault",
      "withdraws to Bitcoin: the withdrawal is warped through the 7-day challenge window to its payout",
      "refuses a withdrawal to a malformed Bitcoin address, and changes nothing",
      "a fraud is caught: the watcher disproves the batch, the L2 halts, recovery rolls back to the last valid batch",
    ],
  },
};

describe("bitlayer outside the checkout: the README's install, init, npm test", function () {
  this.timeout(900_000);
  let tmp = "";
  let prefix = "";
  let env: NodeJS.ProcessEnv = {};
  const bitlayer = () => join(prefix, "bin", "bitlayer");
  const children: ChildProcess[] = [];

  before(() => {
    tmp = mkdtempSync(join(tmpdir(), "bitlayer-outside-"));
    prefix = join(tmp, "prefix");
    env = userEnv({ npm_config_prefix: prefix, npm_config_prefer_offline: "true", npm_config_update_notifier: "false" });
  });

  after(() => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("npm run pack (in the clone, after the build) writes the three tarballs", async () => {
    const r = await run("npm", ["run", "pack"], REPO, env);
    assert.equal(r.code, 0, explain(r));
    for (const name of ["devnet", "plugins", "cli"]) {
      assert.match(r.stdout, new RegExp(`packs/bitlayer-${name}-${VERSION.replaceAll(".", "\\.")}\\.tgz`), explain(r));
      assert.ok(existsSync(join(REPO, "packs", `bitlayer-${name}-${VERSION}.tgz`)));
    }
    assert.match(r.stdout, new RegExp(`npm install --global \\./packs/bitlayer-cli-${VERSION.replaceAll(".", "\\.")}\\.tgz`));
  });

  it("npm install --global ./packs/bitlayer-cli-<v>.tgz installs the bitlayer command, on its own", async () => {
    const r = await run("npm", ["install", "--global", `./packs/bitlayer-cli-${VERSION}.tgz`], REPO, env);
    assert.equal(r.code, 0, explain(r));
    const version = await run(bitlayer(), ["--version"], tmp, env);
    assert.equal(version.stdout.trim(), VERSION, explain(version));
    // The CLI carries its engine in its bundle: nothing of the Devkit besides itself was installed.
    assert.equal(existsSync(join(prefix, "lib/node_modules/@bitlayer/devnet")), false);
    assert.equal(existsSync(join(prefix, "lib/node_modules/@bitlayer/cli/node_modules/@bitlayer")), false);
  });

  for (const template of Object.keys(TESTS))
    it(`bitlayer init app --template ${template} --yes, then npm test in app passes (and npm run typecheck)`, async () => {
      assert.ok(existsSync(bitlayer()), "the bitlayer command is installed (the steps above)");
      const dir = join(tmp, template);
      mkdirSync(dir);
      const init = await run(bitlayer(), ["init", "app", "--template", template, "--yes"], dir, env);
      assert.equal(init.code, 0, explain(init));
      const packs = join(REPO, "packs");
      assert.ok(init.stdout.includes(`Created app from the ${template} template; @bitlayer packages from ${packs}`), explain(init));
      assert.match(init.stdout, /Installing dependencies: npm install \(in app\)/);
      assert.match(init.stdout, /Next:\n {2}cd app\n {2}npm test /);
      const app = join(dir, "app");
      const pkg = JSON.parse(readFileSync(join(app, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
      for (const name of ["cli", "devnet", "plugins"])
        assert.equal(pkg.devDependencies[`@bitlayer/${name}`], `file:${join(packs, `bitlayer-${name}-${VERSION}.tgz`)}`);

      const test = await run("npm", ["test"], app, env);
      assert.equal(test.code, 0, explain(test));
      const { suite, names } = TESTS[template];
      assert.ok(test.stdout.includes(suite), explain(test));
      for (const name of names) assert.ok(test.stdout.includes(`✔ ${name}`), `"${name}" did not pass\n${explain(test)}`);
      assert.match(test.stdout, new RegExp(`\\b${names.length} passing\\b`), explain(test));
      assert.doesNotMatch(test.stdout, /\b\d+ (failing|pending)\b/, explain(test));
      // The TypeScript type-checks too (connection.bitlayer typed by the plugin).
      const typecheck = await run("npm", ["run", "typecheck"], app, env);
      assert.equal(typecheck.code, 0, explain(typecheck));
    });

  it("in the starter project, npx bitlayer devnet serves a devnet and npm run deploy deploys to it", async () => {
    const app = join(tmp, "starter", "app");
    assert.ok(existsSync(join(app, "node_modules")), "the starter project is installed (the step above)");
    // The project's own `bitlayer` (what npx runs), on free ports.
    const devnet = spawn(join(app, "node_modules/.bin/bitlayer"), ["devnet", "--port", "0", "--btc-port", "0"], { cwd: app, env });
    children.push(devnet);
    let out = "";
    const url = await new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        out += chunk;
        const match = /Listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (match) resolve(match[1]);
      };
      devnet.stdout.on("data", onData);
      devnet.stderr.on("data", onData);
      devnet.on("exit", (code) => reject(new Error(`bitlayer devnet exited (${code}):\n${out}`)));
    });
    const deploy = await run("npm", ["run", "deploy"], app, { ...env, BITLAYER_RPC_URL: url });
    assert.equal(deploy.code, 0, explain(deploy));
    const lines = deploy.stdout.split("\n").filter((line) => / deployed at /.test(line));
    assert.equal(lines.length, 1, explain(deploy));
    const match = /^Counter deployed at (0x[0-9a-fA-F]{40})$/.exec(lines[0]);
    assert.ok(match, explain(deploy));
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_getCode", params: [match[1], "latest"] }),
    });
    const { result } = (await res.json()) as { result: string };
    assert.match(result, /^0x[0-9a-f]{10,}/, "the contract's code is on the devnet");
  });
});
