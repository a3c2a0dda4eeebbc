// `bitlayer init` without npm: what it writes (--no-install), where the @bitlayer packages come from, and the
// refusals (a non-empty folder, an unknown template, no template without a terminal, bad flags), each one line on
// stderr, exit code 1 and nothing written. Then the ink picker on a real terminal (tmux), when tmux is there.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, explain, filesUnder, REPO, type Run, run, userEnv } from "./init-support.js";

const TEMPLATES = ["starter", "bridge"];
const VERSION = (JSON.parse(readFileSync(join(REPO, "packages/cli/package.json"), "utf8")) as { version: string }).version;

interface ProjectJson {
  name: string;
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
}

describe("bitlayer init (CLI)", function () {
  this.timeout(60_000);
  let work = "";

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), "bitlayer-init-"));
  });

  afterEach(() => {
    rmSync(work, { recursive: true, force: true });
  });

  function init(args: string[], env: Record<string, string> = { BITLAYER_PACKAGES: "registry" }): Promise<Run> {
    return run(process.execPath, [BIN, "init", ...args], work, userEnv(env));
  }

  /** A refusal: exit code 1, exactly one line `error: …` on stderr, nothing on stdout. */
  function assertRefused(r: Run, message: string): void {
    assert.equal(r.code, 1, explain(r));
    assert.equal(r.stderr, `error: ${message}\n`, explain(r));
    assert.equal(r.stdout, "", explain(r));
  }

  for (const template of TEMPLATES)
    it(`--no-install writes the ${template} template: its files, the folder's name, the @bitlayer packages; no npm`, async () => {
      const r = await init(["my-app", "--template", template, "--no-install"]);
      assert.equal(r.code, 0, explain(r));
      const app = join(work, "my-app");
      const expected = filesUnder(join(REPO, "templates", template))
        .filter((f) => !/^(node_modules|artifacts|cache)\//.test(f) && f !== "package-lock.json")
        .sort();
      assert.deepEqual(filesUnder(app), expected);
      assert.ok(expected.includes(".gitignore") && expected.includes("README.md") && expected.includes("scripts/deploy.ts"));
      assert.equal(existsSync(join(app, "node_modules")), false, "nothing installed");
      const pkg = JSON.parse(readFileSync(join(app, "package.json"), "utf8")) as ProjectJson;
      assert.equal(pkg.name, "my-app");
      for (const name of ["cli", "devnet", "plugins"]) assert.equal(pkg.devDependencies[`@bitlayer/${name}`], `^${VERSION}`);
      assert.equal(pkg.scripts.test, "hardhat test mocha --network bitlayer");
      assert.equal(pkg.scripts.prepare, "bitlayer-install-node22-optionals");
      // The other files are the template's, byte for byte.
      for (const file of expected.filter((f) => f !== "package.json"))
        assert.equal(readFileSync(join(app, file), "utf8"), readFileSync(join(REPO, "templates", template, file), "utf8"), file);
      assert.match(r.stdout, new RegExp(`Created my-app from the ${template} template; @bitlayer packages from the npm registry`));
      assert.match(r.stdout, /Next:\n {2}cd my-app\n {2}npm install +install the dependencies\n {2}npm test /);
      assert.match(r.stdout, /npx bitlayer devnet/);
      assert.match(r.stdout, /npx bitlayer dev /);
    });

  it("BITLAYER_PACKAGES=<folder> points the three @bitlayer packages at its tarballs (file: specs)", async () => {
    const packs = join(work, "packs");
    mkdirSync(packs);
    for (const name of ["cli", "devnet", "plugins"]) writeFileSync(join(packs, `bitlayer-${name}-${VERSION}.tgz`), "");
    const r = await init(["app", "--template", "bridge", "--no-install"], { BITLAYER_PACKAGES: packs });
    assert.equal(r.code, 0, explain(r));
    const pkg = JSON.parse(readFileSync(join(work, "app/package.json"), "utf8")) as ProjectJson;
    for (const name of ["cli", "devnet", "plugins"])
      assert.equal(pkg.devDependencies[`@bitlayer/${name}`], `file:${join(packs, `bitlayer-${name}-${VERSION}.tgz`)}`);
  });

  it("BITLAYER_PACKAGES=<folder without the tarballs> is refused, nothing written", async () => {
    const r = await init(["app", "--template", "starter", "--no-install"], { BITLAYER_PACKAGES: join(work, "nowhere") });
    assert.equal(r.code, 1, explain(r));
    assert.match(r.stderr, /^error: BITLAYER_PACKAGES=.*nowhere: bitlayer-cli-.*\.tgz.* are not all there \(npm run pack writes them\)\n$/);
    assert.equal(existsSync(join(work, "app")), false);
  });

  it("in this checkout, the project takes the checkout's tarballs, packed again when older than the build", async function () {
    this.timeout(300_000);
    const packs = join(REPO, "packs");
    const cli = join(packs, `bitlayer-cli-${VERSION}.tgz`);
    // Make the tarballs look older than the build (or missing): init must run the pack script first.
    if (existsSync(cli)) utimesSync(cli, new Date(0), new Date(0));
    const r = await init(["app", "--template", "starter", "--no-install"], {});
    assert.equal(r.code, 0, explain(r));
    assert.match(r.stderr, /Packing the Devkit's packages \(npm run pack\)/);
    assert.ok(statSync(cli).mtimeMs > statSync(join(REPO, "packages/cli/dist/bitlayer.mjs")).mtimeMs, "packed after the build");
    assert.ok(r.stdout.includes(`@bitlayer packages from ${packs} (this Devkit checkout's tarballs)`), explain(r));
    const pkg = JSON.parse(readFileSync(join(work, "app/package.json"), "utf8")) as ProjectJson;
    for (const name of ["cli", "devnet", "plugins"])
      assert.equal(pkg.devDependencies[`@bitlayer/${name}`], `file:${join(packs, `bitlayer-${name}-${VERSION}.tgz`)}`);
    // Fresh now: the next init does not pack again.
    const again = await init(["again", "--template", "starter", "--no-install"], {});
    assert.equal(again.code, 0, explain(again));
    assert.doesNotMatch(again.stderr, /Packing/);
  });

  it("an npm install that fails ends with one error line and exit code 1, and leaves the files", async function () {
    this.timeout(300_000);
    // Real npm, failing for real: the tarballs it is told to install are empty files.
    const packs = join(work, "packs");
    mkdirSync(packs);
    for (const name of ["cli", "devnet", "plugins"]) writeFileSync(join(packs, `bitlayer-${name}-${VERSION}.tgz`), "");
    const r = await init(["app", "--template", "starter", "--yes"], { BITLAYER_PACKAGES: packs });
    assert.equal(r.code, 1, explain(r));
    assert.match(r.stdout, /Installing dependencies: npm install \(in app\)/);
    assert.doesNotMatch(r.stdout, /Next:/);
    const last = r.stderr.trimEnd().split("\n").at(-1);
    assert.equal(last, "error: npm install failed (exit code 1) in app; the project's files are there: run npm install in it once fixed");
    assert.ok(existsSync(join(work, "app/package.json")) && existsSync(join(work, "app/test/Counter.ts")), "the files stay");
  });

  it("the package's name comes from the folder's, as npm allows it", async () => {
    const r = await init(["My Bitlayer App!", "--template", "starter", "--no-install"]);
    assert.equal(r.code, 0, explain(r));
    const pkg = JSON.parse(readFileSync(join(work, "My Bitlayer App!", "package.json"), "utf8")) as ProjectJson;
    assert.equal(pkg.name, "my-bitlayer-app");
  });

  it("--yes without a folder writes the starter template into bitlayer-app", async () => {
    const r = await init(["--yes", "--no-install"]);
    assert.equal(r.code, 0, explain(r));
    assert.match(r.stdout, /Created bitlayer-app from the starter template/);
    assert.ok(existsSync(join(work, "bitlayer-app/contracts/Counter.sol")));
  });

  it("an empty folder that exists is fine", async () => {
    mkdirSync(join(work, "empty"));
    const r = await init(["empty", "--template", "starter", "--no-install"]);
    assert.equal(r.code, 0, explain(r));
    assert.ok(existsSync(join(work, "empty/hardhat.config.ts")));
  });

  it("refuses a folder that is not empty, writing nothing", async () => {
    mkdirSync(join(work, "app"));
    writeFileSync(join(work, "app", "notes.txt"), "mine");
    const r = await init(["app", "--template", "starter", "--no-install"]);
    assertRefused(r, "app is not empty; choose a new folder");
    assert.deepEqual(filesUnder(join(work, "app")), ["notes.txt"]);
  });

  it("refuses a path that is a file", async () => {
    writeFileSync(join(work, "app"), "mine");
    assertRefused(await init(["app", "--template", "starter", "--no-install"]), "app exists and is not a folder; choose a new folder");
  });

  it("refuses an unknown template, naming the templates, writing nothing", async () => {
    assertRefused(await init(["app", "--template", "nope", "--yes"]), 'unknown template "nope" (starter, bridge)');
    assert.deepEqual(filesUnder(work), []);
  });

  it("without a terminal and without --template, asks for --template in one line, writing nothing", async () => {
    assertRefused(await init(["app"]), "choose a template with --template <name> (starter, bridge), or --yes for starter");
    assert.deepEqual(filesUnder(work), []);
  });

  it("bad flags are one-line errors: an unknown option, a missing value, an extra argument", async () => {
    for (const [args, message] of [
      [["app", "--templat", "starter"], /^error: unknown option '--templat'/],
      [["app", "--template"], /^error: option '-t, --template <name>' argument missing/],
      [["app", "other", "--template", "starter"], /^error: too many arguments for 'init'/],
    ] as const) {
      const r = await init([...args]);
      assert.equal(r.code, 1, explain(r));
      assert.match(r.stderr.split("\n")[0], message, explain(r));
      assert.deepEqual(filesUnder(work), [], `${args.join(" ")} wrote nothing`);
    }
  });

  it("--help lists the templates", async () => {
    const r = await init(["--help"]);
    assert.equal(r.code, 0, explain(r));
    assert.match(r.stdout, /Templates:\n {2}starter +A Bitlayer dApp.*\n {2}bridge +A Bitlayer bridge app/);
  });
});

/** Whether tmux runs here (the picker test needs a real terminal). */
function hasTmux(): boolean {
  try {
    execFileSync("tmux", ["-V"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("bitlayer init: the picker on a terminal (tmux)", function () {
  this.timeout(120_000);
  // Our own tmux server (-L), so that nothing else's sessions are touched.
  const socket = `bitlayer-init-${process.pid}`;
  const session = "init";
  const tmux = (...args: string[]) => execFileSync("tmux", ["-L", socket, ...args], { encoding: "utf8" });
  let work = "";

  before(function () {
    if (!hasTmux()) this.skip();
    work = mkdtempSync(join(tmpdir(), "bitlayer-init-tty-"));
  });

  after(() => {
    try {
      tmux("kill-server");
    } catch {
      // already gone
    }
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const screen = (name = session) => tmux("capture-pane", "-p", "-t", name);
  async function waitFor(text: string, name = session): Promise<string> {
    for (let i = 0; i < 600; i++) {
      const shown = screen(name);
      if (shown.includes(text)) return shown;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the terminal never showed "${text}":\n${screen(name)}`);
  }
  /** One key at a time, once the screen shows `after` (a key typed before ink reads the terminal would be lost). */
  async function keys(after: string, ...names: string[]): Promise<void> {
    await waitFor(after);
    for (const name of names) {
      tmux("send-keys", "-t", session, name);
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  it("arrows and Enter pick the template, the folder and whether to install; the project is written", async () => {
    const env = userEnv({ BITLAYER_PACKAGES: "registry" });
    // CI=0: under CI (is-in-ci, as ink decides) ink draws no live frames, and init asks nothing there.
    const command = `env CI=0 CONTINUOUS_INTEGRATION=0 ${process.execPath} ${BIN} init --no-install; echo "EXIT=$?"; sleep 120`;
    execFileSync("tmux", ["-L", socket, "new-session", "-d", "-s", session, "-x", "200", "-y", "40", "-c", work, command], { env });
    await keys("? Template", "Down");
    await keys("❯ bridge", "Enter");
    // The folder, prefilled: erase "app" and type "vault".
    await keys("? Folder: bitlayer-app", "BSpace", "BSpace", "BSpace", "v", "a", "u", "l", "t");
    await keys("? Folder: bitlayer-vault", "Enter");
    // --no-install makes "No" the default answer.
    await keys("Install dependencies now (npm install):   Yes / ❯ No", "Enter");
    const shown = await waitFor("EXIT=");
    assert.match(shown, /✔ Template: bridge/);
    assert.match(shown, /✔ Folder: bitlayer-vault/);
    assert.match(shown, /✔ Install dependencies now \(npm install\): no/);
    assert.match(shown, /Created bitlayer-vault from the bridge template/);
    assert.match(shown, /EXIT=0/);
    assert.ok(existsSync(join(work, "bitlayer-vault/contracts/BtcVault.sol")));
    assert.equal(existsSync(join(work, "bitlayer-vault/node_modules")), false);
  });

  it("under CI (CI=true) a terminal gets no picker, which ink could not draw: the same one line as without a terminal", async () => {
    const env = userEnv({ BITLAYER_PACKAGES: "registry" });
    const command = `env CI=true ${process.execPath} ${BIN} init ci-app; echo "EXIT=$?"; sleep 120`;
    execFileSync("tmux", ["-L", socket, "new-session", "-d", "-s", "init-ci", "-x", "200", "-y", "40", "-c", work, command], { env });
    const shown = await waitFor("EXIT=", "init-ci");
    assert.match(shown, /error: choose a template with --template <name> \(starter, bridge\), or --yes for starter/);
    assert.match(shown, /EXIT=1/);
    assert.doesNotMatch(shown, /\? Template/);
    assert.equal(existsSync(join(work, "ci-app")), false);
  });
});
