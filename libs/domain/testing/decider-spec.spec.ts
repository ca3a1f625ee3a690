import type { Decider } from '../decider.js';
import { DeciderSpecification } from './decider-spec.js';

class TooMuch extends Error {}

/** A counter that refuses to go above 2. */
const counter: Decider<{ add: number }, number, { added: number }> = {
  initialState: () => 0,
  evolve: (total, event) => total + event.added,
  decide: ({ add }, total) => {
    if (total + add > 2) throw new TooMuch(`${total + add} is too much`);
    return add === 0 ? [] : [{ added: add }];
  },
};

const spec = DeciderSpecification.for(counter);

describe('DeciderSpecification', () => {
  it('passes when the events are the expected ones', () => {
    spec.given([{ added: 1 }]).when({ add: 1 }).then([{ added: 1 }]);
  });

  it('fails when they are not', () => {
    expect(() => spec.given([]).when({ add: 1 }).then([{ added: 2 }])).toThrow();
  });

  it('thenNothing passes on no events and fails on some', () => {
    spec.given([]).when({ add: 0 }).thenNothing();
    expect(() => spec.given([]).when({ add: 1 }).thenNothing()).toThrow();
  });

  it('thenThrows checks the error class and the predicate', () => {
    spec.given([{ added: 2 }]).when({ add: 1 }).thenThrows(TooMuch, (e) => e.message === '3 is too much');
    expect(() => spec.given([{ added: 2 }]).when({ add: 1 }).thenThrows(TooMuch, () => false)).toThrow('does not match');
    expect(() => spec.given([{ added: 2 }]).when({ add: 1 }).thenThrows(RangeError)).toThrow('expected RangeError');
    expect(() => spec.given([]).when({ add: 1 }).thenThrows(TooMuch)).toThrow();
  });
});
