// Copied into the starter project by bench/lib/template.js: root hooks that write the time mocha spent between its
// first and last hook (all tests of the run) to $BENCH_MOCHA_TIME, in milliseconds.
import { writeFileSync } from "node:fs";

let t0 = 0;
before(() => {
  t0 = performance.now();
});
after(() => {
  if (process.env.BENCH_MOCHA_TIME) writeFileSync(process.env.BENCH_MOCHA_TIME, String(performance.now() - t0));
});
