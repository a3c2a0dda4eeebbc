import { Command } from "commander";
import { onShutdown, timeOfDay } from "../shutdown.js";
import { findProject, type HardhatRun, runHardhat, stopRun } from "../watch/project.js";
import { type Watcher, watchAndRun } from "../watch/watcher.js";

const WATCHING = "Watching contracts/ and test/ for changes (Ctrl-C to stop)";

interface TestFlags {
  project: string;
  watch: boolean;
}

/** `bitlayer test [--watch] [-- hardhat test args]`. */
export function testCommand(): Command {
  return new Command("test")
    .summary(`Run the project's tests; --watch re-runs them on every change`)
    .description(
      "Run the project's tests (`hardhat test` with the project's Hardhat); with --watch, again on every change under contracts/ or test/",
    )
    .argument("[hardhat-args...]", "passed to `hardhat test` (after --), e.g. -- mocha --network bitlayer")
    .option("--project <dir>", "the Hardhat project's folder", ".")
    .option("-w, --watch", "re-run the tests on every change under contracts/ or test/", false)
    .addHelpText("after", "\nExamples:\n  bitlayer test\n  bitlayer test --watch -- mocha --network bitlayer\n")
    .action((args: string[], flags: TestFlags) => test(args, flags));
}

async function test(args: string[], flags: TestFlags): Promise<void> {
  const project = findProject(flags.project);
  const hardhatArgs = ["test", ...args];
  if (!flags.watch) {
    const run = runHardhat(project, hardhatArgs, { inherit: true });
    const stopOnSignal = (signal: NodeJS.Signals) => void stopRun(run).then(() => process.exit(signal === "SIGINT" ? 130 : 143));
    process.on("SIGINT", stopOnSignal);
    process.on("SIGTERM", stopOnSignal);
    process.exitCode = (await run.done).code;
    return;
  }

  let current: HardhatRun | undefined;
  let watcher: Watcher | undefined;
  const shutdown = onShutdown(async (signal) => {
    process.stdout.write(`\n${signal}: stopping\n`);
    await watcher?.close();
    await stopRun(current);
    process.exit(0);
  });

  let round = 0;
  const runTests = async (why: string) => {
    round += 1;
    process.stdout.write(`\n[${timeOfDay()}] ${why}: hardhat ${hardhatArgs.join(" ")} (run ${round})\n`);
    current = runHardhat(project, hardhatArgs, { inherit: true });
    const { code } = await current.done;
    current = undefined;
    if (shutdown.stopping()) return;
    const result = code === 0 ? "passed" : `failed (exit code ${code})`;
    process.stdout.write(`[${timeOfDay()}] Tests ${result}\n`);
    if (watcher) process.stdout.write(`${WATCHING}\n`);
  };

  await runTests("Start");
  if (shutdown.stopping()) return;
  watcher = await watchAndRun(project.dir, ["contracts", "test"], (changed) => runTests(`Changed ${changed.join(", ")}`));
  process.stdout.write(`${WATCHING}\n`);
}
