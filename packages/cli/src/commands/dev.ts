import { existsSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import { PRESETS, type Preset } from "@bitlayer/devnet/client";
import { Command, Option } from "commander";
import { CliError, oneLine } from "../errors.js";
import { integer } from "../options.js";
import { onShutdown, timeOfDay } from "../shutdown.js";
import { buildAndDeploy, DEVNET_NETWORK } from "../watch/deploy.js";
import { findProject, type HardhatRun, stopRun } from "../watch/project.js";
import { type Watcher, watchAndRun } from "../watch/watcher.js";

interface DevFlags {
  project: string;
  deploy: string;
  port: number;
  preset: Preset;
}

/** `bitlayer dev`: a devnet, the project deployed on it, and a redeploy on every change. */
export function devCommand(): Command {
  return new Command("dev")
    .summary("A devnet with the project deployed on it, redeployed on every change")
    .description(
      "Start a devnet, compile and deploy the project (its deploy script), then recompile and redeploy on every change under " +
        "contracts/ or to the deploy script, printing the new addresses. A compile error is shown and the previous deployment keeps serving",
    )
    .option("--project <dir>", "the Hardhat project's folder", ".")
    .option(
      "--deploy <file>",
      "the deploy script, relative to the project; it prints `<Name> deployed at <0xaddress>` per contract",
      "scripts/deploy.ts",
    )
    .option("-p, --port <port>", "port of the devnet's JSON-RPC on 127.0.0.1 (0: any free port)", integer(0, 65535), 8545)
    .addOption(
      new Option("--preset <name>", "settlement timing: mainnet (7-day window) or fast (1-minute window)")
        .choices(PRESETS)
        .default("mainnet"),
    )
    .addHelpText(
      "after",
      `\nThe project's hardhat.config.ts needs a network named "${DEVNET_NETWORK}" whose url is process.env.BITLAYER_RPC_URL (set to this devnet).\n\nExample:\n  bitlayer dev --project my-dapp --port 8545\n`,
    )
    .action((flags: DevFlags) => dev(flags));
}

/** HH:MM:SS, to tell the rounds apart. */
function indent(text: string): string {
  return text.replace(/^(?=.)/gm, "  ");
}

async function dev(flags: DevFlags): Promise<void> {
  const project = findProject(flags.project);
  const script = isAbsolute(flags.deploy) ? relative(project.dir, flags.deploy) : flags.deploy;
  if (!existsSync(join(project.dir, script)))
    throw new CliError("INVALID_ARGUMENT", `deploy script ${join(project.dir, script)} not found; give another with --deploy <file>`);

  const { createDevnet, startServer } = await import("@bitlayer/devnet"); // the engine, only once a devnet starts
  const devnet = await createDevnet({ preset: flags.preset });
  const server = await startServer(devnet, { host: "127.0.0.1", port: flags.port }).catch(async (error) => {
    await devnet.close();
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE")
      throw new CliError("INVALID_ARGUMENT", `port ${flags.port} on 127.0.0.1 is already in use; choose another with --port`);
    throw error;
  });

  let current: HardhatRun | undefined;
  let watcher: Watcher | undefined;
  const shutdown = onShutdown(async (signal) => {
    process.stdout.write(`\n${signal}: shutting down\n`);
    let code = 0;
    try {
      await watcher?.close();
      await stopRun(current);
      await server.close();
      await devnet.close();
    } catch (error) {
      process.stderr.write(`error: shutting down: ${oneLine(error)}\n`);
      code = 1;
    }
    process.exit(code);
  });

  process.stdout.write(`Listening on ${server.url}\nProject: ${project.dir} (deploy script ${script}, network "${DEVNET_NETWORK}")\n`);

  let round = 0;
  let live = false;
  const deploy = async (why: string) => {
    round += 1;
    process.stdout.write(`\n[${timeOfDay()}] ${why}: compiling and deploying (round ${round})\n`);
    const result = await buildAndDeploy(project, script, server.url, (run) => {
      current = run;
    });
    if (shutdown.stopping()) return;
    if (result.ok) {
      live = true;
      if (result.output) process.stdout.write(`${result.output}\n`);
      const n = result.contracts.length;
      process.stdout.write(
        `[${timeOfDay()}] Deployed ${n === 0 ? "(the script printed no `<Name> deployed at <0x...>` line)" : `${n} contract${n === 1 ? "" : "s"}`}\n`,
      );
    } else {
      const keeps = live ? "the previous deployment keeps serving" : "nothing deployed yet; the devnet keeps serving";
      process.stdout.write(
        `[${timeOfDay()}] ${result.stage === "compile" ? "Compile error" : "Deploy failed"} (${keeps}):\n${indent(result.error)}\n`,
      );
    }
  };

  await deploy("Start");
  if (shutdown.stopping()) return;
  const paths = ["contracts", script];
  watcher = await watchAndRun(project.dir, paths, (changed) => deploy(`Changed ${changed.join(", ")}`));
  process.stdout.write(`Watching contracts/ and ${script} for changes (Ctrl-C to stop)\n`);
}
