// Mocha's spec output, plus the closing "N passed, N failed" line that CI reads.
const Mocha = require("mocha");

class SummaryReporter extends Mocha.reporters.Spec {
  epilogue() {
    super.epilogue();
    const { passes, failures, pending } = this.stats;
    const tail = pending > 0 ? `, ${pending} skipped` : "";
    process.stdout.write(`\n${passes} passed, ${failures} failed${tail}\n`);
  }
}

module.exports = SummaryReporter;
