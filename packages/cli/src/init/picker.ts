/**
 * The interactive picker of `bitlayer init` on a terminal: the template, the folder (when none was given) and
 * whether to install, with the arrow keys and Enter. ink and react load here only, with import(), so that other
 * commands start without them.
 *
 * @module
 */

import type { Template } from "./templates.js";

export interface PickerChoice {
  template: string;
  dir: string;
  install: boolean;
}

export interface PickerOptions {
  templates: Template[];
  /** The folder given on the command line; asked for when undefined. */
  dir?: string;
  defaultDir: string;
  /** Whether installing is the default answer (false with --no-install). */
  install: boolean;
}

type Step = "template" | "dir" | "install" | "done";

type Libs = { React: typeof import("react"); ink: typeof import("ink") };

interface PickerProps {
  libs: Libs;
  options: PickerOptions;
  onDone: (choice: PickerChoice) => void;
}

/** The picker's component; react and ink come in props, loaded by pick(). */
function Picker({ libs, options, onDone }: PickerProps) {
  const { React, ink } = libs;
  const { Box, Text, useApp, useInput } = ink;
  const h = React.createElement;
  const { exit } = useApp();
  const [step, setStep] = React.useState<Step>("template");
  const [templateIndex, setTemplateIndex] = React.useState(0);
  const [dir, setDir] = React.useState(options.dir ?? options.defaultDir);
  const [install, setInstall] = React.useState(options.install);
  const template = options.templates[templateIndex];
  // Exit once the answers are drawn, so that they stay on the screen.
  React.useEffect(() => {
    if (step === "done") exit();
  }, [step, exit]);

  useInput((input, key) => {
    if (key.escape || (key.ctrl && input === "c")) {
      exit();
      return;
    }
    if (step === "template") {
      const n = options.templates.length;
      if (key.upArrow) setTemplateIndex((i) => (i + n - 1) % n);
      if (key.downArrow) setTemplateIndex((i) => (i + 1) % n);
      if (key.return) setStep(options.dir === undefined ? "dir" : "install");
    } else if (step === "dir") {
      if (key.return) {
        if (dir.trim()) setStep("install");
      } else if (key.backspace || key.delete) setDir((d) => d.slice(0, -1));
      else if (input && !key.ctrl && !key.meta) setDir((d) => d + input);
    } else if (step === "install") {
      if (key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) setInstall((v) => !v);
      if (input === "y") setInstall(true);
      if (input === "n") setInstall(false);
      if (key.return) {
        onDone({ template: template.name, dir: dir.trim(), install });
        setStep("done");
      }
    }
  });

  const rows = [h(Text, { key: "title", bold: true }, "Create a Bitlayer project")];
  rows.push(h(Text, { key: "q1", color: "cyan" }, step === "template" ? "? Template (↑/↓, Enter)" : `✔ Template: ${template.name}`));
  if (step === "template")
    options.templates.forEach((t, i) => {
      const selected = i === templateIndex;
      rows.push(
        h(
          Text,
          { key: `t-${t.name}`, color: selected ? "green" : undefined },
          `${selected ? "❯" : " "} ${t.name.padEnd(10)} ${t.description}`,
        ),
      );
    });
  if (step !== "template" && options.dir === undefined)
    rows.push(h(Text, { key: "q2", color: "cyan" }, step === "dir" ? `? Folder: ${dir}█` : `✔ Folder: ${dir}`));
  if (step === "install" || step === "done") {
    const answer = step === "done" ? (install ? "yes" : "no") : install ? "❯ Yes /   No" : "  Yes / ❯ No";
    rows.push(h(Text, { key: "q3", color: "cyan" }, `${step === "done" ? "✔" : "?"} Install dependencies now (npm install): ${answer}`));
  }
  return h(Box, { flexDirection: "column" }, ...rows);
}

/** Shows the picker; resolves with the choices, or undefined if the user cancelled (Esc, Ctrl+C). */
export async function pick(options: PickerOptions): Promise<PickerChoice | undefined> {
  const libs: Libs = { React: await import("react"), ink: await import("ink") };
  let result: PickerChoice | undefined;
  const props: PickerProps = { libs, options, onDone: (choice) => (result = choice) };
  const app = libs.ink.render(libs.React.createElement(Picker, props), { exitOnCtrlC: false });
  await app.waitUntilExit();
  return result;
}
