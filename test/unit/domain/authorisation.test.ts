import { mayDeploy } from '../../../core/domain/authorisation.js';

const groups: Record<string, string[]> = { S0DEPLOYERS: ['U0BOB'] };
const membersOf = (group: string) => Promise.resolve(groups[group] ?? []);
const deployers = (users: string[], userGroups: string[], everyone = false) => ({
  deployers: { users, userGroups, everyone },
});

describe('mayDeploy', () => {
  it('lets everyone deploy where everyone may', async () => {
    expect(await mayDeploy('U0ANY', deployers([], [], true), membersOf)).toBe(true);
  });
  it('lets a listed user deploy', async () => {
    expect(await mayDeploy('U0RITA', deployers(['U0RITA'], ['S0DEPLOYERS']), membersOf)).toBe(true);
  });
  it("lets a group's member deploy, and nobody else", async () => {
    expect(await mayDeploy('U0BOB', deployers([], ['S0DEPLOYERS']), membersOf)).toBe(true);
    expect(await mayDeploy('U0CAROL', deployers([], ['S0DEPLOYERS']), membersOf)).toBe(false);
  });
  it('grants nothing when a group cannot be looked up', async () => {
    const failing = () => Promise.reject(new Error('ratelimited'));
    await expect(mayDeploy('U0BOB', deployers([], ['S0DEPLOYERS']), failing)).rejects.toThrow(
      'ratelimited',
    );
  });
});
