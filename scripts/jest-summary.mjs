// Prints the plain closing line CI reads ("N passed, N failed") from jest's --json results.
// A suite that could not run (a syntax error, a crash in its set-up, a hook that threw) has no
// failed test of its own, so it counts as one failure: a crashed suite never reads as "0 failed".
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2] ?? '.jest-results.json';
if (!existsSync(file)) {
  console.log('0 passed, 0 failed');
  process.exit(0);
}
const results = JSON.parse(readFileSync(file, 'utf8'));
const suitesThatDidNotRun = results.testResults.filter(
  (suite) =>
    suite.status === 'failed' && !suite.assertionResults.some((test) => test.status === 'failed'),
);
for (const suite of suitesThatDidNotRun) {
  const reason = (suite.failureMessage ?? suite.message ?? '')
    .split('\n')
    .find((line) => line.trim());
  console.error(`suite failed to run: ${suite.name}${reason ? `: ${reason.trim()}` : ''}`);
}
const failed = results.numFailedTests + suitesThatDidNotRun.length;
console.log(`${results.numPassedTests} passed, ${failed} failed`);
