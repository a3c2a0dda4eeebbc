/**
 * docs/cli.md shows each command's `--help` verbatim, between markers: `<!-- help: btc mine -->`, a ```text block,
 * `<!-- /help -->`. The prose around them is written by hand; the blocks are rewritten from the program.
 *
 * @module
 */

import type { Command } from "commander";
import { commandPaths } from "./program.js";

const BLOCK = /<!-- help: ([a-z0-9 -]+) -->\n[\s\S]*?<!-- \/help -->/g;

/** What `bitlayer <command> --help` prints, its examples (help text added "after") included. */
export function helpText(command: Command): string {
  let out = "";
  command.configureOutput({
    writeOut: (text) => {
      out += text;
    },
  });
  command.outputHelp();
  return out.trimEnd();
}

/** The help blocks of `markdown` brought up to date; `missing` lists commands that have no block. */
export function updateHelpBlocks(markdown: string, program: Command): { text: string; missing: string[]; unknown: string[] } {
  const helps = new Map(commandPaths(program).map(({ path, command }) => [path, helpText(command)]));
  const seen = new Set<string>();
  const unknown: string[] = [];
  const text = markdown.replace(BLOCK, (block, path: string) => {
    const help = helps.get(path);
    if (help === undefined) {
      unknown.push(path);
      return block;
    }
    seen.add(path);
    return `<!-- help: ${path} -->\n\`\`\`text\n${help}\n\`\`\`\n<!-- /help -->`;
  });
  const missing = [...helps.keys()].filter((path) => !seen.has(path) && path !== "help");
  return { text, missing, unknown };
}
