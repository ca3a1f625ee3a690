import type { AppendResult, EventStore } from './event-store.port.js';

/** The store with each append run through `around` (timing it, recording its position…); everything else passes through untouched. */
export function aroundAppends(store: EventStore, around: (append: () => Promise<AppendResult>) => Promise<AppendResult>): EventStore {
  return new Proxy(store, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (property !== 'appendToStream') return value.bind(target);
      return (...args: unknown[]) => around(() => value.apply(target, args) as Promise<AppendResult>);
    },
  });
}
