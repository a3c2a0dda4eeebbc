import type { MethodRegistry, MethodSpec } from "./registry.js";

const GROUP_TITLES: Record<string, string> = {
  eth: "Ethereum (`eth_*`)",
  net: "Network (`net_*`)",
  web3: "`web3_*`",
  personal: "`personal_*`",
  txpool: "Transaction pool (`txpool_*`)",
  debug: "Debugging (`debug_*`)",
  "test controls": "Test controls (`evm_*`, `hardhat_*`, `anvil_*`)",
  bitlayer: "Settlement layer (`bitlayer_*`): finality, time-warp, batches, Bitcoin, fraud and recovery",
};

function escapePipes(text: string): string {
  return text.replace(/\|/g, "\\|");
}

function methodSection(spec: MethodSpec): string {
  const lines = [`### \`${spec.name}\``, ""];
  if (spec.aliases?.length) lines.push(`Aliases: ${spec.aliases.map((a) => `\`${a}\``).join(", ")}`, "");
  lines.push(spec.summary, "");
  if (spec.params.length === 0) {
    lines.push("Parameters: none.", "");
  } else {
    lines.push("| # | parameter | type | required | description |", "|---|---|---|---|---|");
    spec.params.forEach((p, i) => {
      const description = p.description ? `${p.description}; ${p.type.description}` : p.type.description;
      lines.push(`| ${i} | \`${p.name}\` | ${escapePipes(p.type.label)} | ${p.optional ? "no" : "yes"} | ${escapePipes(description)} |`);
    });
    lines.push("");
  }
  lines.push(`Returns: ${spec.returns}`, "");
  return lines.join("\n");
}

/** The RPC reference page, generated from the method registry so it cannot drift from the code. */
export function renderRpcReference(registry: MethodRegistry): string {
  const specs = registry.list();
  const groups = [...new Set(specs.map((s) => s.group))];
  const out = [
    "# JSON-RPC reference",
    "",
    "<!-- Generated from the method registry (packages/devnet/src/rpc/methods) by `npm run docs`. Do not edit by hand. -->",
    "",
    "The devnet serves these methods over HTTP and WebSocket (`bitlayer devnet`, default `http://127.0.0.1:8545`)",
    "and in process (`createDevnet().request({ method, params })`). Parameters are positional (`params` is an array).",
    "",
    "Errors follow JSON-RPC: `-32700` malformed JSON, `-32600` invalid request (also: empty or oversized batch, body over 10 MiB),",
    "`-32601` unknown method, `-32602` invalid parameters (the message names the parameter and what was expected),",
    "`3` execution reverted (`data` holds the revert data, decoded by ethers and viem), `-32000` rejected input.",
    "Except for reverts, `error.data.code` carries a stable code to match on, such as `NONCE_TOO_LOW` or `INSUFFICIENT_FUNDS`.",
    "",
    "Block parameters accept a number, `latest` (soft-final), `pending`, `earliest`, `safe` (anchored on Bitcoin),",
    "`finalized` (hard final), or an EIP-1898 object (`{ blockHash }` / `{ blockNumber }`): `safe` is the last L2 block",
    "whose batch's claim has its confirmations on the simulated Bitcoin chain, `finalized` the last whose challenge window",
    "closed unchallenged (or whose simulated validity proof verified); both are genesis until then. See docs/settlement.md.",
    "",
    `${specs.length} methods, ${specs.reduce((n, s) => n + (s.aliases?.length ?? 0), 0)} aliases.`,
    "",
    "## Contents",
    "",
  ];
  for (const group of groups) {
    out.push(
      `- ${GROUP_TITLES[group] ?? group}: ${specs
        .filter((s) => s.group === group)
        .map((s) => `[\`${s.name}\`](#${s.name.toLowerCase()})`)
        .join(", ")}`,
    );
  }
  out.push("");
  for (const group of groups) {
    out.push(`## ${GROUP_TITLES[group] ?? group}`, "");
    for (const spec of specs.filter((s) => s.group === group)) out.push(methodSection(spec));
  }
  return `${out.join("\n").trimEnd()}\n`;
}
