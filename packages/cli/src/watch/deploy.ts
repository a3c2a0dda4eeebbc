/**
 * One round of `bitlayer dev`: `hardhat build`, then the deploy script on the devnet network, and what came of it
 * (the addresses the script printed, or the compiler's or the script's error, trimmed to what a person reads).
 *
 * @module
 */

import { type HardhatRun, type Project, runHardhat } from "./project.js";

/** The network name the project's config points at BITLAYER_RPC_URL. */
export const DEVNET_NETWORK = "devnet";

/** A line the deploy script prints per contract: `<ContractName> deployed at <0xaddress>`. */
const DEPLOYED = /^\s*(\S+) deployed at (0x[0-9a-fA-F]{40})\b/gm;

export type RoundResult =
  | { ok: true; output: string; contracts: { name: string; address: string }[] }
  | { ok: false; stage: "compile" | "deploy"; error: string };

/**
 * Hardhat's error output without what does not help here: ANSI colours, its "For more info ... --show-stack-traces"
 * footer, blank runs, and Node's stack frames.
 */
export function readableError(output: string): string {
  const lines = output
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences.
    .replace(/\u001b\[[0-9;]*m/g, "")
    .split("\n")
    .map((line) => line.trimEnd())
    .filter((line) => !/^For more info go to https:\/\/hardhat\.org/.test(line) && !/^\s+at \S/.test(line));
  // Hardhat prints its closing "Error HHE...: ..." line on both stdout and stderr: once is enough.
  const unique = lines.filter((line, i) => !/^Error HHE\d+:/.test(line) || lines.indexOf(line) === i);
  return unique
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** The contracts a deploy script's output names, in order. */
export function deployedContracts(output: string): { name: string; address: string }[] {
  return [...output.matchAll(DEPLOYED)].map((m) => ({ name: m[1], address: m[2] }));
}

/**
 * Compiles then deploys (the run does not compile again); `track` is told each child as it starts (so that Ctrl-C can stop it).
 * Nothing on the devnet changes when the compile fails.
 */
export async function buildAndDeploy(
  project: Project,
  script: string,
  rpcUrl: string,
  track: (run: HardhatRun | undefined) => void,
): Promise<RoundResult> {
  const build = runHardhat(project, ["build"]);
  track(build);
  const built = await build.done;
  track(undefined);
  if (built.code !== 0) return { ok: false, stage: "compile", error: readableError(built.output) };
  const deploy = runHardhat(project, ["run", "--no-compile", script, "--network", DEVNET_NETWORK], { env: { BITLAYER_RPC_URL: rpcUrl } });
  track(deploy);
  const deployed = await deploy.done;
  track(undefined);
  if (deployed.code !== 0) return { ok: false, stage: "deploy", error: readableError(deployed.output) };
  return { ok: true, output: deployed.output.trim(), contracts: deployedContracts(deployed.output) };
}
