import { subjectOf } from './token.command.js';

describe('npm run token: the subject', () => {
  it('is the one given', () => {
    expect(subjectOf('agent', 'agent-7')).toBe('agent-7');
  });

  it('is derived from the role when none is given, so a connector never acts as an owner', () => {
    expect(['owner', 'manager', 'agent', 'integration'].map((role) => subjectOf(role as 'owner', undefined))).toEqual([
      'owner-1',
      'manager-1',
      'agent-1',
      'integration-1',
    ]);
  });

  it('refuses an empty one', () => {
    expect(() => subjectOf('integration', ' ')).toThrow('--sub must not be empty');
  });
});
