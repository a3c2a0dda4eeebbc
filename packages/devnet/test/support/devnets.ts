// Devnets for a test file: `start` creates one, every one is closed after each test, and a
// temporary folder (`dir`) lives as long as the file's tests.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CreateDevnetOptions, createDevnet, type Devnet } from "../../src/index.js";

export interface DevnetFixture {
  /** Devnets to close after the current test (push one created another way). */
  readonly devnets: Devnet[];
  /** A temporary folder, removed after the file's tests. */
  readonly dir: string;
  start(options?: CreateDevnetOptions): Promise<Devnet>;
}

/** Registers the mocha hooks; call inside a `describe`. */
export function devnetFixture(prefix: string): DevnetFixture {
  const devnets: Devnet[] = [];
  let dir = "";
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    await Promise.all(devnets.splice(0).map((d) => d.close()));
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  return {
    devnets,
    get dir() {
      return dir;
    },
    async start(options = {}) {
      const devnet = await createDevnet(options);
      devnets.push(devnet);
      return devnet;
    },
  };
}
