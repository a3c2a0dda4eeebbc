import { resolve } from "node:path";
import { Command } from "commander";
import { CliError } from "../errors.js";
import { npmInstall } from "../init/install.js";
import { type PackageSource, resolvePackageSource } from "../init/packages.js";
import { pick } from "../init/picker.js";
import { listTemplates, type Template } from "../init/templates.js";
import { assertWritableTarget, writeProject } from "../init/write.js";
import { canAsk } from "../terminal.js";

interface InitFlags {
  template?: string;
  yes?: boolean;
  install: boolean;
}

const DEFAULT_DIR = "bitlayer-app";
const DEFAULT_TEMPLATE = "starter";

/** `bitlayer init [dir]`: write a project from a template, install it, print the next steps. */
export function initCommand(): Command {
  return new Command("init")
    .description("Create a Bitlayer dApp project (Hardhat 3, ethers, mocha) from a template, and install it")
    .argument("[dir]", `folder to create (new or empty; default: asked on a terminal, else ${DEFAULT_DIR})`)
    .option("-t, --template <name>", "template to use (bitlayer init --help lists them)")
    .option("-y, --yes", `no questions: the defaults for what no flag says (template ${DEFAULT_TEMPLATE}, folder ${DEFAULT_DIR})`)
    .option("--no-install", "write the files only; run npm install yourself")
    .addHelpText(
      "after",
      () =>
        `\nTemplates:\n${listTemplates()
          .map((t) => `  ${t.name.padEnd(10)} ${t.description}`)
          .join("\n")}\n`,
    )
    .action(async (dirArg: string | undefined, flags: InitFlags) => {
      await init(dirArg, flags);
    });
}

async function init(dirArg: string | undefined, flags: InitFlags): Promise<void> {
  const templates = listTemplates();
  const names = templates.map((t) => t.name).join(", ");
  const byName = (name: string): Template => {
    const found = templates.find((t) => t.name === name);
    if (!found) throw new CliError("UNKNOWN_TEMPLATE", `unknown template "${name}" (${names})`);
    return found;
  };
  if (flags.template !== undefined) byName(flags.template);
  if (dirArg !== undefined) assertWritableTarget(resolve(dirArg), dirArg);

  let choice = { template: flags.template, dir: dirArg, install: flags.install };
  const interactive = !flags.yes && canAsk();
  if (interactive && (choice.template === undefined || choice.dir === undefined)) {
    const ordered = choice.template ? [byName(choice.template)] : templates;
    const picked = await pick({ templates: ordered, dir: choice.dir, defaultDir: DEFAULT_DIR, install: flags.install });
    if (!picked) throw new CliError("INVALID_ARGUMENT", "cancelled; nothing was written");
    choice = picked;
  } else if (choice.template === undefined) {
    if (!flags.yes)
      throw new CliError("INVALID_ARGUMENT", `choose a template with --template <name> (${names}), or --yes for ${DEFAULT_TEMPLATE}`);
    choice.template = DEFAULT_TEMPLATE;
  }
  const template = byName(choice.template ?? DEFAULT_TEMPLATE);
  const shown = choice.dir ?? DEFAULT_DIR;
  const target = resolve(shown);
  assertWritableTarget(target, shown);

  const source = resolvePackageSource();
  writeProject(template.dir, target, source);
  const out = process.stdout;
  out.write(`Created ${shown} from the ${template.name} template; @bitlayer packages from ${describe(source)}.\n`);
  if (choice.install) {
    out.write(`Installing dependencies: npm install (in ${shown})\n`);
    await npmInstall(target, shown);
  }
  out.write(`\nNext:\n  cd ${shown}\n`);
  if (!choice.install) out.write("  npm install         install the dependencies\n");
  out.write(
    "  npm test            run the tests on an in-process devnet\n" +
      "  npx bitlayer devnet start a devnet on http://127.0.0.1:8545 (npm run deploy deploys to it)\n" +
      "  npx bitlayer dev    keep a devnet up and redeploy on every change\n",
  );
}

function describe(source: PackageSource): string {
  return source.kind === "registry" ? `the npm registry (^${source.version})` : `${source.dir} (${source.why})`;
}
