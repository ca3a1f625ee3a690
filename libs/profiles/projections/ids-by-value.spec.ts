import { describe, expect, it } from '@jest/globals';
import { IdsByValue } from './ids-by-value.js';

const byKeys = (remembered?: number) => new IdsByValue<{ _id: string; keys: string[] }>((document) => document.keys, remembered);

describe('IdsByValue', () => {
  it("finds the contacts under any of the keys, a contact's new keys from its write on, its old ones until the write landed", () => {
    const byKey = byKeys();
    byKey.writing([{ _id: 'a', keys: ['phone:1', 'email:a'] }, { _id: 'b', keys: ['phone:1'] }]);
    byKey.written([{ _id: 'a', keys: ['phone:1', 'email:a'] }, { _id: 'b', keys: ['phone:1'] }], () => []);
    expect(byKey.idsWith(['phone:1']).sort()).toEqual(['a', 'b']);

    const a = { _id: 'a', keys: ['email:a', 'phone:2'] };
    byKey.writing([a]);
    expect(byKey.idsWith(['phone:1', 'phone:2']).sort()).toEqual(['a', 'b']);
    expect(byKey.idsWith(['phone:2'])).toEqual(['a']);
    byKey.written([a], () => ['phone:1', 'email:a']);
    expect(byKey.idsWith(['phone:1'])).toEqual(['b']);
    expect(byKey.idsWith(['email:a', 'phone:9'])).toEqual(['a']);
    expect(byKey.complete).toBe(true);
  });

  it('says it is incomplete once it outgrew its bound, and holds nothing more', () => {
    const byKey = byKeys(3);
    byKey.writing([{ _id: 'a', keys: ['k1', 'k2'] }, { _id: 'b', keys: ['k1'] }]);
    expect(byKey.complete).toBe(true);
    byKey.writing([{ _id: 'c', keys: ['k3'] }]);
    expect(byKey.complete).toBe(false);
    expect(byKey.idsWith(['k1', 'k3'])).toEqual([]);
  });
});
