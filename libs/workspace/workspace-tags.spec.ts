import { InvalidValuesError } from '../eventsourcing/domain-errors.js';
import { DeciderSpecification, withMetadata } from '../eventsourcing/testing/decider-spec.js';
import { workspaceSpellingOf, workspaceTagsDecider, type WorkspaceTagsEvent } from './workspace-tags.js';

const spec = DeciderSpecification.for(workspaceTagsDecider);
const created = (name: string): WorkspaceTagsEvent => ({ type: 'TagCreated', data: { name } });

describe('workspace tags', () => {
  it('creates a tag on first use, trimmed', () => {
    spec.given([]).when({ type: 'CreateTag', name: ' VIP  ' }).then([created('VIP')]);
  });

  it('writes nothing when the tag exists in another case: the first spelling stays', () => {
    spec.given([created('VIP')]).when({ type: 'CreateTag', name: 'vip' }).thenNothing();
    const state = withMetadata([created('VIP')]).reduce(workspaceTagsDecider.evolve, workspaceTagsDecider.initialState());
    expect(workspaceSpellingOf(state, ' Vip ')).toBe('VIP');
  });

  it('refuses an empty tag', () => {
    spec.given([]).when({ type: 'CreateTag', name: '  ' }).thenThrows(InvalidValuesError);
  });

  it('ignores the other events of the workspace stream', () => {
    const state = workspaceTagsDecider.evolve(workspaceTagsDecider.initialState(), { type: 'ContactEditingGranted', data: { agentIds: ['a'] } } as never);
    expect(state.tags.size).toBe(0);
  });
});
