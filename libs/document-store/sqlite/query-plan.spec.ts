import { planQuery, SMALL_RANGE } from './query-plan.js';
import type { IndexDefinition } from './index-entries.js';

const keysIndex: IndexDefinition = { name: 'keys_1', keys: [['keys', 1]], unique: false };
const workspaceKeys: IndexDefinition = { name: 'workspace_1_keys_1', keys: [['workspace', 1], ['keys', 1]], unique: false };

describe('the embedded query planner', () => {
  it('looks each value of an $in on an indexed path up in the index', () => {
    expect(planQuery({ keys: { $in: ['a', 'b', 'a'] } }, undefined, [keysIndex], () => 0)).toEqual({
      kind: 'union',
      scans: [
        { index: keysIndex, equalities: ['a'] },
        { index: keysIndex, equalities: ['b'] },
      ],
    });
  });

  it('after the equalities of a compound index, when their range is large', () => {
    const plan = planQuery({ workspace: 'acme', keys: { $in: ['a'] } }, undefined, [workspaceKeys], () => SMALL_RANGE);
    expect(plan).toEqual({ kind: 'union', scans: [{ index: workspaceKeys, equalities: ['acme', 'a'] }] });
  });

  it('keeps a small equality range rather than a union', () => {
    const plan = planQuery({ workspace: 'acme', keys: { $in: ['a', 'b'] } }, undefined, [workspaceKeys], () => 3);
    expect(plan).toEqual({ kind: 'index', scan: { index: workspaceKeys, equalities: ['acme'] }, ordered: false });
  });

  it('scans the collection for an $in on a path no index has', () => {
    expect(planQuery({ other: { $in: ['a'] } }, undefined, [keysIndex], () => 0)).toEqual({ kind: 'collection' });
  });
});
