// Markdown output: a table of medians per workload, Bitlayer/peer ratio tables, and the targets as a checklist.

export const median = (xs) => {
  const s = xs.filter((x) => typeof x === "number" && Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return undefined;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const fmt = (v, digits) => (typeof v === "number" ? v.toFixed(digits) : (v ?? "—"));
export const row = (cells) => `| ${cells.join(" | ")} |`;

/** cell(devnet, metric): { value, note } | undefined */
export function workloadTable(title, metrics, devnets, cell) {
  const cols = devnets.filter((d) => metrics.some((m) => cell(d, m) !== undefined));
  if (!cols.length) return "";
  const lines = [`### ${title}`, "", row(["Metric", ...cols.map((d) => d.label)]), row(["---", ...cols.map(() => "---:")])];
  for (const m of metrics) {
    const cells = cols.map((d) => {
      const c = cell(d, m);
      if (!c) return "—";
      return `${fmt(c.value, m.digits)}${c.note ? ` (${c.note})` : ""}`;
    });
    if (cells.some((c) => c !== "—")) lines.push(row([m.label, ...cells]));
  }
  return lines.join("\n");
}

export function ratioTable(ours, peer, metrics, value) {
  const lines = [
    `### Bitlayer vs ${peer.label} (Bitlayer / ${peer.label})`,
    "",
    row(["Metric", "Ratio", "Better when"]),
    row(["---", "---:", "---"]),
  ];
  let any = false;
  for (const m of metrics) {
    const a = value(ours, m);
    const b = value(peer, m);
    if (typeof a !== "number" || typeof b !== "number" || b <= 0) continue;
    any = true;
    lines.push(
      row([m.label, `${(a / b).toFixed(2)}×`, m.better === "higher" ? "higher (> 1 = Bitlayer faster)" : "lower (< 1 = Bitlayer better)"]),
    );
  }
  return any ? lines.join("\n") : "";
}
