import { execFileSync } from 'node:child_process';
import { testEnv } from '../support/test-env.js';

describe('test environment', () => {
  it('provides a helm binary', () => {
    expect(execFileSync(testEnv().helmBin, ['version', '--short'], { encoding: 'utf8' })).toMatch(
      /^v4\./,
    );
  });
});
