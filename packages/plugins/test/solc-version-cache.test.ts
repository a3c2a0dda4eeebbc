import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SolcPackage } from "../src/common/solc.js";
import {
  MAX_SOLC_VERSION_CACHE_BYTES,
  readSolcLongVersion,
  SOLC_VERSION_CACHE,
  writeSolcLongVersion,
} from "../src/common/solc-version-cache.js";

const LONG = "0.8.28+commit.7893614a";

describe("the solc package's long version, remembered in the cache folder", () => {
  let dir: string;
  let solc: SolcPackage;
  let cacheDir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "bitlayer-solc-cache-"));
    const soljson = join(dir, "soljson.js");
    writeFileSync(soljson, "// a stand-in for soljson.js\n");
    solc = { version: "0.8.28", soljson };
    cacheDir = join(dir, "cache");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("is unknown until written, then read back for the same soljson.js", () => {
    assert.equal(readSolcLongVersion(solc, cacheDir), undefined);
    writeSolcLongVersion(solc, cacheDir, LONG);
    assert.equal(readSolcLongVersion(solc, cacheDir), LONG);
  });

  it("is not used for a soljson.js that changed (size or modification time) or another path", () => {
    writeSolcLongVersion(solc, cacheDir, LONG);
    utimesSync(solc.soljson, new Date(), new Date(Date.now() + 5_000));
    assert.equal(readSolcLongVersion(solc, cacheDir), undefined, "modification time");
    writeSolcLongVersion(solc, cacheDir, LONG);
    writeFileSync(solc.soljson, "// another build, another size\n");
    utimesSync(solc.soljson, new Date(), new Date(Date.now() + 5_000));
    assert.equal(readSolcLongVersion(solc, cacheDir), undefined, "size");
    const other = join(dir, "other-soljson.js");
    writeFileSync(other, "x");
    assert.equal(readSolcLongVersion({ version: "0.8.28", soljson: other }, cacheDir), undefined, "path");
  });

  it("ignores a cache file that makes no sense, and a later write repairs it", () => {
    mkdirSync(cacheDir, { recursive: true });
    const file = join(cacheDir, SOLC_VERSION_CACHE);
    for (const junk of ["", "{", "[]", "null", '"text"', JSON.stringify({ [solc.soljson]: { longVersion: LONG } })]) {
      writeFileSync(file, junk);
      assert.equal(readSolcLongVersion(solc, cacheDir), undefined, junk);
    }
    writeSolcLongVersion(solc, cacheDir, LONG);
    assert.equal(readSolcLongVersion(solc, cacheDir), LONG);
    assert.ok(JSON.parse(readFileSync(file, "utf8"))[solc.soljson]);

    // Too large to be one this plugin wrote: not read (even with a valid entry in it), and replaced by the next write.
    const padded = { ...JSON.parse(readFileSync(file, "utf8")), padding: "x".repeat(MAX_SOLC_VERSION_CACHE_BYTES) };
    writeFileSync(file, JSON.stringify(padded));
    assert.equal(readSolcLongVersion(solc, cacheDir), undefined, "an oversized file");
    writeSolcLongVersion(solc, cacheDir, LONG);
    assert.equal(readSolcLongVersion(solc, cacheDir), LONG);
    assert.ok(readFileSync(file).length < MAX_SOLC_VERSION_CACHE_BYTES);
  });

  it("neither writes nor reads a long version of another release or of an unknown form", () => {
    writeSolcLongVersion(solc, cacheDir, "0.8.27+commit.40a35a09");
    writeSolcLongVersion(solc, cacheDir, "0.8.28");
    writeSolcLongVersion(solc, cacheDir, `${LONG}.Emscripten.clang`);
    assert.equal(readSolcLongVersion(solc, cacheDir), undefined);
    writeSolcLongVersion(solc, cacheDir, LONG);
    const file = join(cacheDir, SOLC_VERSION_CACHE);
    const entries = JSON.parse(readFileSync(file, "utf8"));
    entries[solc.soljson].longVersion = "0.8.27+commit.40a35a09";
    writeFileSync(file, JSON.stringify(entries));
    assert.equal(readSolcLongVersion(solc, cacheDir), undefined, "an edited entry of another release");
  });

  it("keeps other compilers' entries, and leaves a cache folder it can't write alone", () => {
    const other: SolcPackage = { version: "0.8.28", soljson: join(dir, "second-soljson.js") };
    writeFileSync(other.soljson, "y");
    writeSolcLongVersion(solc, cacheDir, LONG);
    writeSolcLongVersion(other, cacheDir, LONG);
    assert.equal(readSolcLongVersion(solc, cacheDir), LONG);
    assert.equal(readSolcLongVersion(other, cacheDir), LONG);

    // A cache folder under a file can't be made, also for root.
    const unwritable = join(solc.soljson, "cache");
    assert.doesNotThrow(() => writeSolcLongVersion(solc, unwritable, LONG));
    assert.equal(readSolcLongVersion(solc, unwritable), undefined);
    // A folder where the file should be: the rename fails, and the temp file written for it is not left behind.
    const blocked = join(dir, "blocked");
    mkdirSync(join(blocked, SOLC_VERSION_CACHE), { recursive: true });
    assert.doesNotThrow(() => writeSolcLongVersion(solc, blocked, LONG));
    assert.deepEqual(readdirSync(blocked), [SOLC_VERSION_CACHE]);
  });
});
