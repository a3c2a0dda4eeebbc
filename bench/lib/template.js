// The template workload: the repo's templates/starter, written by `bitlayer init` from this checkout's packed
// packages into a temp folder once per run (untimed, npm install included), then `hardhat test mocha` timed on the
// Bitlayer devnet (in process) and on Hardhat 3's own simulated network.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export async function setupStarter(root, node22, log) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bitlayer-bench-starter-"));
  const env = { ...process.env, PATH: `${path.dirname(node22)}${path.delimiter}${process.env.PATH}`, CI: "1" };
  log(`  npm run pack (packs/*.tgz from this checkout's build)`);
  execFileSync("npm", ["run", "pack", "--silent"], { cwd: root, stdio: ["ignore", "ignore", "pipe"], env });
  log(`  bitlayer init ${dir}/starter -t starter (npm install: about a minute)`);
  execFileSync(node22, [path.join(root, "packages/cli/bin/bitlayer.js"), "init", "starter", "-t", "starter", "-y"], {
    cwd: dir,
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...env, BITLAYER_PACKAGES: path.join(root, "packs") },
    timeout: 600_000,
  });
  const project = path.join(dir, "starter");
  for (const f of ["BenchNeutral.ts", "bench-timer.ts"])
    fs.copyFileSync(path.join(root, "bench/template", f), path.join(project, "test", f));
  const starter = { dir, project, env, node22, hardhat: path.join(project, "node_modules/hardhat/dist/src/cli.js") };
  log("  warm-up run (compiles the contract)");
  let warm = await runTests(starter, "bitlayer", ["test/BenchNeutral.ts"], { BENCH_ROUNDS: "1" });
  // Hardhat compiles in a subprocess (Node running the solc package's soljson). Once here, Node died in it on an
  // invalid-opcode trap (the kernel's log) and the whole template workload was lost to it: a compiler killed by a
  // signal is tried once more, and the log says so. Any other failure, or a second one, ends the setup.
  if (warm.error?.includes("Subprocess exited with code null")) {
    log("  warm-up: Hardhat's compiler subprocess was killed by a signal; compiling once more");
    warm = await runTests(starter, "bitlayer", ["test/BenchNeutral.ts"], { BENCH_ROUNDS: "1" });
  }
  if (warm.error) throw new Error(`warm-up: ${warm.error}`);
  return starter;
}

/** One timed `hardhat test mocha [files] --network <network>`: wall time of the command and mocha's own time. */
export function runTests(starter, network, files, extraEnv = {}) {
  const timeFile = path.join(starter.dir, `mocha-${process.pid}-${Date.now()}.ms`);
  const args = [starter.hardhat, "test", "mocha", ...files, "test/bench-timer.ts", "--network", network];
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(starter.node22, args, {
      cwd: starter.project,
      env: { ...starter.env, ...extraEnv, BENCH_MOCHA_TIME: timeFile, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      out += d;
    });
    child.on("close", (code) => {
      const wallMs = performance.now() - t0;
      let mochaMs;
      try {
        mochaMs = Number(fs.readFileSync(timeFile, "utf8"));
        fs.rmSync(timeFile);
      } catch {}
      const passing = Number(/(\d+) passing/.exec(out)?.[1] ?? 0);
      const failing = Number(/(\d+) failing/.exec(out)?.[1] ?? 0);
      const error = code === 0 ? undefined : `exit code ${code}: ${out.trim().split("\n").slice(-8).join(" | ")}`;
      resolve({ wallMs, mochaMs, passing, failing, error });
    });
  });
}

export function removeStarter(starter) {
  if (starter) fs.rmSync(starter.dir, { recursive: true, force: true });
}
