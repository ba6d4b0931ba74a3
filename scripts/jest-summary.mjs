// Prints the plain closing line CI reads ("N passed, N failed") from jest's --json results.
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2] ?? '.jest-results.json';
if (!existsSync(file)) {
  console.log('0 passed, 0 failed');
  process.exit(0);
}
const results = JSON.parse(readFileSync(file, 'utf8'));
console.log(`${results.numPassedTests} passed, ${results.numFailedTests} failed`);
