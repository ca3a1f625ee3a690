import type { Decider } from '../decider.js';
import { isEventOf } from '../event-schemas.js';
import { DeciderSpecification } from './decider-spec.js';

class TooMuch extends Error {}

type Added = { type: 'Added'; data: { added: number } };
const added = (n: number): Added => ({ type: 'Added', data: { added: n } });

/** A counter that refuses to go above 2. */
const counter: Decider<{ add: number }, number, Added> = {
  initialState: () => 0,
  evolve: (total, event) => total + event.data.added,
  decide: ({ add }, total) => {
    if (total + add > 2) throw new TooMuch(`${total + add} is too much`);
    return add === 0 ? [] : [added(add)];
  },
  isEvent: isEventOf<Added>({ versions: { Added: 1 } }),
};

const spec = DeciderSpecification.for(counter);

describe('DeciderSpecification', () => {
  it('passes when the events are the expected ones', () => {
    spec.given([added(1)]).when({ add: 1 }).then([added(1)]);
  });

  it('fails when they are not', () => {
    expect(() => spec.given([]).when({ add: 1 }).then([added(2)])).toThrow();
  });

  it('thenNothing passes on no events and fails on some', () => {
    spec.given([]).when({ add: 0 }).thenNothing();
    expect(() => spec.given([]).when({ add: 1 }).thenNothing()).toThrow();
  });

  it('thenThrows checks the error class and the predicate', () => {
    spec.given([added(2)]).when({ add: 1 }).thenThrows(TooMuch, (e) => e.message === '3 is too much');
    expect(() => spec.given([added(2)]).when({ add: 1 }).thenThrows(TooMuch, () => false)).toThrow('does not match');
    expect(() => spec.given([added(2)]).when({ add: 1 }).thenThrows(RangeError)).toThrow('expected RangeError');
    expect(() => spec.given([]).when({ add: 1 }).thenThrows(TooMuch)).toThrow();
  });
});
