// Markdown output: one table of raw numbers, then Bitlayer/peer ratios.

const METRICS = [
  { key: "startMs", label: "Cold start, median of 3 (ms)", digits: 0, better: "lower" },
  { key: "tps1", label: "Transfers/s, 1 request in flight", digits: 0, better: "higher" },
  { key: "tps32", label: "Transfers/s, 32 requests in flight", digits: 0, better: "higher" },
  { key: "idleMB", label: "Idle RSS (MB)", digits: 1, better: "lower" },
  { key: "loadedMB", label: "Loaded RSS, max (MB)", digits: 1, better: "lower" },
];

const fmt = (v, digits) => (typeof v === "number" ? v.toFixed(digits) : (v ?? "—"));
const row = (cells) => `| ${cells.join(" | ")} |`;

export function table(results) {
  const lines = [row(["Metric", ...results.map((r) => r.label)]), row(["---", ...results.map(() => "---:")])];
  for (const m of METRICS) {
    lines.push(row([m.label, ...results.map((r) => fmt(r.metrics[m.key], m.digits) + (r.capped?.[m.key] ? " (capped)" : ""))]));
  }
  return lines.join("\n");
}

export function ratios(ours, peer) {
  const lines = [`### ${ours.label} vs ${peer.label} (${ours.label} / ${peer.label})`, ""];
  lines.push(row(["Metric", "Ratio", "Better when"]), row(["---", "---:", "---"]));
  for (const m of METRICS) {
    const a = ours.metrics[m.key];
    const b = peer.metrics[m.key];
    const ratio = typeof a === "number" && typeof b === "number" && b > 0 ? `${(a / b).toFixed(2)}×` : "—";
    lines.push(row([m.label, ratio, m.better === "higher" ? "higher (> 1 = ours faster)" : "lower (< 1 = ours better)"]));
  }
  return lines.join("\n");
}
