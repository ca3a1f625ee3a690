import { DeciderSpecification, withMetadata } from '../eventsourcing/testing/decider-spec.js';
import { canEditContacts, workspacePermissionsDecider, type WorkspacePermissionsEvent } from './workspace-permissions.js';

const spec = DeciderSpecification.for(workspacePermissionsDecider);
const granted = (...agentIds: string[]): WorkspacePermissionsEvent => ({ type: 'ContactEditingGranted', data: { agentIds } });
const revoked = (...agentIds: string[]): WorkspacePermissionsEvent => ({ type: 'ContactEditingRevoked', data: { agentIds } });

describe('workspace permissions: contact editing', () => {
  it('grants agents who did not have it, one or many at once', () => {
    spec.given([]).when({ type: 'GrantContactEditing', agentIds: ['a1', 'a2'] }).then([granted('a1', 'a2')]);
  });

  it('grants only those who lacked it, each once', () => {
    spec.given([granted('a1')]).when({ type: 'GrantContactEditing', agentIds: ['a1', 'a2', 'a2'] }).then([granted('a2')]);
  });

  it('writes nothing when all already have it', () => {
    spec.given([granted('a1')]).when({ type: 'GrantContactEditing', agentIds: ['a1'] }).thenNothing();
  });

  it('withdraws it only from those who had it', () => {
    spec.given([granted('a1', 'a2')]).when({ type: 'RevokeContactEditing', agentIds: ['a2', 'a3'] }).then([revoked('a2')]);
  });

  it('writes nothing when withdrawing from nobody who had it', () => {
    spec.given([granted('a1'), revoked('a1')]).when({ type: 'RevokeContactEditing', agentIds: ['a1'] }).thenNothing();
  });

  it('folds grants and withdrawals into who may edit', () => {
    const state = withMetadata([granted('a1', 'a2'), revoked('a1')]).reduce(workspacePermissionsDecider.evolve, workspacePermissionsDecider.initialState());
    expect(canEditContacts(state, 'a1')).toBe(false);
    expect(canEditContacts(state, 'a2')).toBe(true);
  });
});
