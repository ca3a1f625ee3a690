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

  it('sorts the ids of a range by the sort keys its own index carries after the ranged key', () => {
    const covering: IndexDefinition = { name: 'cover', keys: [['workspace', 1], ['keys', 1], ['sortKey', 1], ['_id', 1]], unique: false };
    const bySortKey: IndexDefinition = { name: 'sorted', keys: [['workspace', 1], ['sortKey', 1], ['_id', 1]], unique: false };
    const filter = { $and: [{ workspace: 'acme' }, { keys: { $regex: '^mar' } }, { keys: { $regex: '^lo' } }] };
    const plan = planQuery(filter, { sortKey: -1, _id: -1 }, [bySortKey, covering], () => SMALL_RANGE * 2);
    expect(plan).toMatchObject({ kind: 'covered-range', sortFrom: 2, descending: true });
    expect(plan.kind === 'covered-range' && plan.scans.map((scan) => [scan.index.name, scan.range?.lower?.value])).toEqual([
      ['cover', 'mar'],
      ['cover', 'lo'],
    ]);
    const withoutCover = planQuery(filter, { sortKey: 1, _id: 1 }, [bySortKey, workspaceKeys], () => SMALL_RANGE * 2);
    expect(withoutCover).toMatchObject({ kind: 'sorted-range', descending: false });
  });

  it('scans the collection for an $in on a path no index has', () => {
    expect(planQuery({ other: { $in: ['a'] } }, undefined, [keysIndex], () => 0)).toEqual({ kind: 'collection' });
  });
});
