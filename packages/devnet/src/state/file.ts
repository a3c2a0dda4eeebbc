import { randomBytes } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { DevnetError } from "../errors.js";

/** Reads a state file; a missing file is `undefined` (first start), anything unreadable an error. */
export async function readStateFile(path: string): Promise<unknown | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new DevnetError("STATE_FILE_INVALID", `cannot read state file ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new DevnetError(
      "STATE_FILE_INVALID",
      `state file ${path} is not valid JSON (corrupt or not a devnet state); it was left untouched`,
    );
  }
}

/** Writes atomically: a temporary file in the same folder, then a rename over the target. */
export async function writeStateFile(path: string, data: unknown): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(tmp, `${JSON.stringify(data)}\n`, { mode: 0o600 });
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
