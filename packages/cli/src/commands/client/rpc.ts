/**
 * What every client command shares: the `--rpc-url` and `--json` flags, an EIP-1193 provider over HTTP with a
 * bounded timeout, the check that a devnet answers at that URL, and errors turned into one line (or one JSON
 * document with `--json`).
 *
 * @module
 */

import { BitlayerHelperError, type Eip1193Provider, isDevnet } from "@bitlayer/plugins";
import { type Command, InvalidArgumentError, Option } from "commander";
import { CliError, type CliErrorCode, oneLine } from "../../errors.js";

export const DEFAULT_RPC_URL = "http://127.0.0.1:8545";

/** How long the first request may take: a devnet answers at once, so anything slower is not one that is up. */
const PROBE_TIMEOUT_MS = 5_000;
/** Bound for every later request (a warp of years mines many Bitcoin blocks, a deposit waits for its mint). */
const REQUEST_TIMEOUT_MS = 120_000;

/** The flags every client command takes. */
export interface ClientFlags {
  rpcUrl: string;
  json: boolean;
}

/** A client command's connection to the devnet. */
export interface Client {
  url: string;
  provider: Eip1193Provider;
}

function rpcUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`expected an http(s) URL such as ${DEFAULT_RPC_URL}, got "${value}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new InvalidArgumentError(`expected an http(s) URL such as ${DEFAULT_RPC_URL}, got "${value}"`);
  }
  return value;
}

/** Adds `--rpc-url` (env BITLAYER_RPC_URL) and `--json`, and an example, to a client command. */
export function clientCommand(command: Command, ...examples: string[]): Command {
  return command
    .addOption(
      new Option("--rpc-url <url>", "JSON-RPC URL of the devnet").env("BITLAYER_RPC_URL").argParser(rpcUrl).default(DEFAULT_RPC_URL),
    )
    .option("--json", "print one JSON document instead of text", false)
    .addHelpText("after", `\n${examples.length === 1 ? "Example" : "Examples"}:\n${examples.map((e) => `  ${e}\n`).join("")}`);
}

/** Why a request never got an answer, in a few words. */
function transportReason(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && (error.name === "TimeoutError" || error.name === "AbortError"))
    return `no answer within ${timeoutMs / 1000} s`;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  switch (cause?.code) {
    case "ECONNREFUSED":
      return "connection refused";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "host not found";
    case "ECONNRESET":
      return "connection reset";
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return "host unreachable";
    default:
      return oneLine(cause ?? error);
  }
}

/** Thrown by the provider when the request got no JSON-RPC answer at all. */
class TransportError extends Error {}

/** An EIP-1193 provider over HTTP: one POST per request, each bounded by a timeout. */
export function httpProvider(url: string, timeoutMs = REQUEST_TIMEOUT_MS): Eip1193Provider {
  let id = 0;
  return {
    async request({ method, params }) {
      let response: Response;
      try {
        response = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params: params ?? [] }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw new TransportError(transportReason(error, timeoutMs));
      }
      let body: { result?: unknown; error?: { code: number; message: string; data?: unknown } };
      try {
        body = (await response.json()) as typeof body;
      } catch {
        throw new TransportError(`not a JSON-RPC server (HTTP ${response.status})`);
      }
      if (body.error) throw Object.assign(new Error(body.error.message), body.error);
      return body.result;
    },
  };
}

function unreachable(url: string, reason: string): CliError {
  return new CliError("DEVNET_UNREACHABLE", `no devnet answers at ${url} (${reason}); start one with \`bitlayer devnet\``);
}

/** Connects to the devnet at `flags.rpcUrl`: refuses, in one line, a URL where nothing answers or a node that is not the devnet. */
export async function connect(flags: ClientFlags): Promise<Client> {
  const url = flags.rpcUrl;
  let client: string;
  try {
    client = String(await httpProvider(url, PROBE_TIMEOUT_MS).request({ method: "web3_clientVersion" }));
  } catch (error) {
    if (error instanceof TransportError) throw unreachable(url, error.message);
    client = "it does not answer web3_clientVersion";
  }
  const provider = httpProvider(url);
  if (!(await isDevnet(provider))) {
    throw new CliError(
      "NOT_A_DEVNET",
      `the node at ${url} is not a Bitlayer devnet (${client}: no bitlayer_* methods); start one with \`bitlayer devnet\``,
    );
  }
  return { url, provider };
}

/** The helpers' error codes, as the CLI's. */
function cliError(error: unknown): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof TransportError) return new CliError("DEVNET_UNREACHABLE", `the devnet stopped answering (${error.message})`);
  if (error instanceof BitlayerHelperError) {
    const code: CliErrorCode = ["INVALID_ARGUMENT", "INVALID_DURATION", "INVALID_LEVEL"].includes(error.code)
      ? "INVALID_ARGUMENT"
      : "RPC_ERROR";
    return new CliError(code, error.message, { cause: error });
  }
  return new CliError("RPC_ERROR", oneLine(error), { cause: error });
}

/** JSON.stringify that writes bigints as decimal strings. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2);
}

/**
 * Runs a client command: connects, calls `body`, prints its JSON value (`--json`) or its text. An error is one line on
 * stderr (main prints it) and, with `--json`, also one JSON document `{ "error": { code, message } }` on stdout.
 */
export async function runClient<T>(
  flags: ClientFlags,
  body: (client: Client) => Promise<T>,
  text: (result: T, client: Client) => string,
): Promise<void> {
  try {
    const client = await connect(flags);
    const result = await body(client);
    process.stdout.write(flags.json ? `${toJson(result)}\n` : `${text(result, client)}\n`);
  } catch (error) {
    const failure = cliError(error);
    if (flags.json) process.stdout.write(`${toJson({ error: { code: failure.code, message: oneLine(failure) } })}\n`);
    throw failure;
  }
}
