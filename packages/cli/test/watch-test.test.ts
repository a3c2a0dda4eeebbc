// `bitlayer test` on a copy of the fixture project: once (the exit code is the tests'), and with --watch, re-run after
// an edit under contracts/ and under test/.

import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli } from "./client-support.js";
import { copyFixture, type Running, startBitlayer } from "./watch-support.js";

describe("bitlayer test (and --watch)", function () {
  this.timeout(600_000);
  let project: ReturnType<typeof copyFixture>;
  let watch: Running | undefined;

  before(() => {
    project = copyFixture();
  });
  after(async () => {
    await watch?.stop();
    project?.remove();
  });

  it("runs the project's tests once and exits with their exit code", async () => {
    const passing = await cli(["test", "--project", project.dir]);
    assert.equal(passing.code, 0, passing.stdout + passing.stderr);
    assert.match(passing.stdout, /✔ is version 1/);
    assert.match(passing.stdout, /1 passing/);

    const contract = join(project.dir, "contracts", "Greeter.sol");
    const source = readFileSync(contract, "utf8");
    writeFileSync(contract, source.replace("VERSION = 1", "VERSION = 5"));
    try {
      const failing = await cli(["test", "--project", project.dir, "--", "mocha"]);
      assert.notEqual(failing.code, 0, failing.stdout);
      assert.match(failing.stdout + failing.stderr, /1 failing/);
    } finally {
      writeFileSync(contract, source);
    }
  });

  it("--watch re-runs the tests after a change under contracts/ and under test/", async () => {
    watch = startBitlayer(["test", "--watch", "--project", project.dir], project.dir);
    await watch.waitFor(/1 passing[\s\S]*Tests passed[\s\S]*Watching contracts\/ and test\/ for changes/, "the first run");

    const contract = join(project.dir, "contracts", "Greeter.sol");
    let mark = watch.output().length;
    writeFileSync(contract, readFileSync(contract, "utf8").replace("VERSION = 1", "VERSION = 2"));
    await watch.waitFor(/Changed contracts\/Greeter\.sol: hardhat test \(run 2\)/, "the re-run", mark);
    await watch.waitFor(/1 failing[\s\S]*Tests failed \(exit code \d+\)/, "the failing run", mark);

    const test = join(project.dir, "test", "Greeter.ts");
    mark = watch.output().length;
    writeFileSync(test, readFileSync(test, "utf8").replace('it("is version 1"', 'it("is version 2"').replace("1n)", "2n)"));
    await watch.waitFor(/Changed test\/Greeter\.ts: hardhat test \(run 3\)/, "the re-run", mark);
    await watch.waitFor(/✔ is version 2[\s\S]*1 passing[\s\S]*Tests passed/, "the passing run", mark);

    assert.equal(await watch.stop("SIGINT"), 0, watch.output());
    watch = undefined;
  });

  it("refuses a folder that is not a Hardhat project in one line; --help has an example", async () => {
    const r = await cli(["test", "--project", join(project.dir, "test")]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: .* is not a Hardhat project/);
    assert.equal(r.stderr.trim().split("\n").length, 1);
    const help = await cli(["test", "--help"]);
    assert.match(help.stdout, /-w, --watch/);
    assert.match(help.stdout, /Examples:\n {2}bitlayer test\n/);
  });
});
