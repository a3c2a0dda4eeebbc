// parseDuration: the durations the CLI's flags and the plugins' helpers take.

import assert from "node:assert/strict";
import { parseDuration } from "../src/index.js";

describe("parseDuration", () => {
  it("reads whole seconds and units from weeks to seconds, largest first", () => {
    for (const [text, seconds] of [
      ["0", 0],
      ["3600", 3600],
      ["90s", 90],
      ["1h30m", 5400],
      ["7d", 604_800],
      ["2w3d", 2 * 604_800 + 3 * 86_400],
      ["1w1d1h1m1s", 604_800 + 86_400 + 3600 + 61],
    ] as const) {
      assert.equal(parseDuration(text), seconds, text);
    }
  });

  it("refuses anything else (undefined): units out of order, signs, fractions, spaces, unknown units, too large", () => {
    for (const text of ["", "1.5h", "-1", "30m1h", "1 h", "7days", "1y", "h", "0x10", "99999999999999999999w"]) {
      assert.equal(parseDuration(text), undefined, JSON.stringify(text));
    }
  });
});
