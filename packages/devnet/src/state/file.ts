import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { rename, rm, stat, writeFile } from "node:fs/promises";
import { DevnetError } from "../errors.js";
import { parseStateJson, STATE_LIMITS } from "./limits.js";

/**
 * Reads a state file; a missing file is `undefined` (first start), anything unreadable or
 * past STATE_LIMITS an error (the size is checked before reading).
 */
export async function readStateFile(path: string): Promise<unknown | undefined> {
  const unreadable = (error: unknown) =>
    new DevnetError("STATE_FILE_INVALID", `cannot read state file ${path}: ${(error as Error).message}`);
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw unreadable(error);
  }
  if (size > STATE_LIMITS.bytes) {
    throw new DevnetError(
      "STATE_FILE_INVALID",
      `state file ${path} is too large (${size} bytes, at most ${STATE_LIMITS.bytes}); it was left untouched`,
    );
  }
  const stream = createReadStream(path, { highWaterMark: 1024 * 1024 });
  try {
    return await parseStateJson(stream, `state file ${path}`);
  } catch (error) {
    if (error instanceof DevnetError) throw error;
    throw unreadable(error);
  } finally {
    stream.destroy();
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
