/**
 * The Bitcoin RPC reference page, generated from the method registry so it cannot drift from the code.
 *
 * @module
 */
import type { BitcoinMethodRegistry, BitcoinMethodSpec } from "./registry.js";

const GROUP_TITLES: Record<string, string> = {
  blockchain: "Blockchain",
  generating: "Generating",
  rawtransactions: "Raw transactions",
  util: "Util",
  wallet: "Wallet",
};

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

function section(spec: BitcoinMethodSpec): string {
  const lines = [`### \`${spec.name}\``, "", spec.summary, ""];
  if (spec.params.length === 0) lines.push("Parameters: none.", "");
  else {
    lines.push("| # | parameter | JSON type | required | default | description |", "|---|---|---|---|---|---|");
    spec.params.forEach((p, i) => {
      lines.push(
        `| ${i + 1} | \`${p.name}\` | ${p.type} | ${p.optional ? "no" : "yes"} | ${cell(p.default ?? "")} | ${cell(p.description)} |`,
      );
    });
    lines.push("");
  }
  lines.push(`Returns: ${spec.returns}`, "");
  if (spec.errors?.length) lines.push("Errors:", "", ...spec.errors.map((e) => `- \`${e}\``), "");
  return lines.join("\n");
}

/**
 * Markdown reference of the Bitcoin RPC methods.
 * @example writeFileSync("docs/bitcoin-rpc-reference.md", renderBitcoinRpcReference(bitcoinMethodRegistry));
 */
export function renderBitcoinRpcReference(registry: BitcoinMethodRegistry): string {
  const specs = registry.specs;
  const groups = [...new Set(specs.map((s) => s.group))];
  const out = [
    "# Bitcoin RPC reference (simulated regtest node)",
    "",
    "<!-- Generated from the Bitcoin method registry (packages/devnet/src/bitcoin/rpc) by `npm run docs`. Do not edit by hand. -->",
    "",
    "The devnet's simulated Bitcoin node answers this subset of Bitcoin Core's JSON-RPC (v28) at `http://127.0.0.1:18443`",
    "with HTTP basic auth (default `devnet`/`devnet`); wallet methods also at `/wallet/<name>`. Answers, field names,",
    "error codes and messages follow Bitcoin Core; amounts are BTC numbers with 8 decimals. Parameters are positional",
    "or named (a `params` object). Legacy (JSON-RPC 1.0/1.1) requests get HTTP 500 with the error (404 for an unknown",
    "method, 400 for an invalid request); JSON-RPC 2.0 requests get HTTP 200. A call with the wrong number of",
    "parameters answers -1 with the usage; a parameter of the wrong JSON type -3 `Wrong type passed`.",
    "",
    `${specs.length} methods.`,
    "",
  ];
  for (const group of groups) {
    out.push(`## ${GROUP_TITLES[group] ?? group}`, "");
    for (const spec of specs.filter((s) => s.group === group)) out.push(section(spec));
  }
  return `${out.join("\n").trimEnd()}\n`;
}
