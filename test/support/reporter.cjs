// The spec reporter, plus one plain closing line ("N passed, N failed, N skipped") that CI tools read.
const Mocha = require('mocha');

class MeshworkReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once('end', () => {
      const { passes, failures, pending } = runner.stats;
      process.stdout.write(`\n${passes} passed, ${failures} failed, ${pending} skipped\n`);
    });
  }
}

module.exports = MeshworkReporter;
