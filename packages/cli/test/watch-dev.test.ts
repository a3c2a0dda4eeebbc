// `bitlayer dev` on a copy of the fixture project: the devnet comes up, the project is compiled and deployed; an edit
// to the contract is recompiled and redeployed (a new address, the new code live); a syntax error is shown and the
// devnet keeps serving the previous deployment; Ctrl-C closes everything.

import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Interface } from "ethers";
import { cli, rpc } from "./client-support.js";
import { copyFixture, type Running, startBitlayer } from "./watch-support.js";

const greeter = new Interface(["function VERSION() view returns (uint256)"]);
const DEPLOYED = /Greeter deployed at (0x[0-9a-fA-F]{40})/;

async function version(url: string, address: string): Promise<bigint> {
  const data = await rpc<string>(url, "eth_call", [{ to: address, data: greeter.encodeFunctionData("VERSION") }, "latest"]);
  return greeter.decodeFunctionResult("VERSION", data)[0] as bigint;
}

describe("bitlayer dev (watch mode)", function () {
  this.timeout(600_000);
  let project: ReturnType<typeof copyFixture>;
  let dev: Running | undefined;

  before(() => {
    project = copyFixture();
  });
  after(async () => {
    await dev?.stop();
    project?.remove();
  });

  it("deploys, redeploys an edited contract at a new address, survives a syntax error, and stops on Ctrl-C", async () => {
    dev = startBitlayer(["dev", "--port", "0"], project.dir);
    const url = (await dev.waitFor(/Listening on (http:\/\/127\.0\.0\.1:\d+)/, "the devnet's URL"))[1];
    const first = (await dev.waitFor(DEPLOYED, "the first deployment"))[1];
    await dev.waitFor(/Watching contracts\/ and scripts\/deploy\.ts for changes/, "the watcher");
    assert.equal(await version(url, first), 1n);

    const contract = join(project.dir, "contracts", "Greeter.sol");
    const source = readFileSync(contract, "utf8");
    let mark = dev.output().length;
    writeFileSync(contract, source.replace("VERSION = 1", "VERSION = 2"));
    await dev.waitFor(/Changed contracts\/Greeter\.sol: compiling and deploying \(round 2\)/, "the change", mark);
    const second = (await dev.waitFor(DEPLOYED, "the redeployment", mark))[1];
    assert.notEqual(second, first, "a new address");
    assert.equal(await version(url, second), 2n, "the new code is live");
    assert.equal(await version(url, first), 1n, "the old contract is still there");

    mark = dev.output().length;
    writeFileSync(contract, source.replace("VERSION = 1", "VERSION = 2 +"));
    await dev.waitFor(/Compile error \(the previous deployment keeps serving\):\n {2}ParserError: /, "the compile error", mark);
    const shown = dev.output().slice(mark);
    assert.match(shown, /Greeter\.sol:\d+:\d+/, "names the file and line");
    assert.doesNotMatch(shown, /For more info go to|--show-stack-traces|^\s+at \S/m, "trimmed");
    assert.doesNotMatch(shown, DEPLOYED, "nothing redeployed");
    assert.match(await rpc<string>(url, "eth_blockNumber"), /^0x[0-9a-f]+$/, "the devnet still serves");
    assert.notEqual(await rpc<string>(url, "eth_getCode", [second, "latest"]), "0x", "the previous deployment still has code");
    assert.equal(await version(url, second), 2n);
    // The client commands work against it.
    assert.equal((await cli(["status", "--rpc-url", url])).code, 0);

    mark = dev.output().length;
    writeFileSync(contract, source.replace("VERSION = 1", "VERSION = 3"));
    const third = (await dev.waitFor(DEPLOYED, "the redeployment after the fix", mark))[1];
    assert.equal(await version(url, third), 3n);

    assert.equal(await dev.stop("SIGINT"), 0, dev.output());
    assert.match(dev.output(), /SIGINT: shutting down\n$/);
    await assert.rejects(rpc(url, "eth_blockNumber"), "the devnet is closed");
    dev = undefined;
  });

  it("refuses, in one line, a folder that is not a Hardhat project and a missing deploy script", async () => {
    const notProject = await cli(["dev", "--project", join(project.dir, "contracts"), "--port", "0"]);
    assert.equal(notProject.code, 1);
    assert.match(notProject.stderr, /^error: .*contracts is not a Hardhat project \(no hardhat\.config\.ts\)/);
    assert.equal(notProject.stderr.trim().split("\n").length, 1);
    const noScript = await cli(["dev", "--project", project.dir, "--deploy", "scripts/missing.ts", "--port", "0"]);
    assert.equal(noScript.code, 1);
    assert.match(noScript.stderr, /^error: deploy script .*missing\.ts not found; give another with --deploy <file>\n$/);
  });

  it("--help says what it does, the project's conventions, and an example", async () => {
    const r = await cli(["dev", "--help"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /--deploy <file>/);
    assert.match(r.stdout, /network named "devnet" whose url is process\.env\.BITLAYER_RPC_URL/);
    assert.match(r.stdout, /Example:\n {2}bitlayer dev/);
  });
});
