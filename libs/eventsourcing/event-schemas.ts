import type { JsonObject, RecordedEvent } from '../event-store/event-store.port.js';
import type { AnyRecordedEvent, DomainEvent, Recorded } from './domain-event.js';

/**
 * Turns the `data` of an event stored in schema version `fromVersion` of its type into version
 * `fromVersion + 1`. Old events are upcast on every read, never rewritten (DESIGN.md).
 */
export interface Upcaster {
  readonly type: string;
  readonly fromVersion: number;
  upcast(data: JsonObject, metadata: JsonObject): JsonObject;
}

/** What a feature publishes about its events: the schema version each type is written in, and the upcasters of older versions. */
export interface EventSchemas<E extends DomainEvent = DomainEvent> {
  readonly versions: { readonly [Type in E['type']]: number };
  readonly upcasters?: readonly Upcaster[];
}

/** A guard for the feature's events: the one place where a log event becomes a typed domain event. */
export function isEventOf<E extends DomainEvent>(schemas: EventSchemas<E>): (event: AnyRecordedEvent) => event is Recorded<E> {
  return (event): event is Recorded<E> => Object.hasOwn(schemas.versions, event.type);
}

/** An event stored before schema versions were recorded is in version 1. */
const UNVERSIONED = 1;

/**
 * Every feature's event schemas, merged by the composition root: the version to write each
 * event type with, and the chain of upcasters that brings a stored event to that version.
 */
export class EventSchemaRegistry {
  private constructor(
    private readonly versions: ReadonlyMap<string, number>,
    private readonly upcasters: ReadonlyMap<string, Upcaster>,
  ) {}

  static of(...features: readonly EventSchemas[]): EventSchemaRegistry {
    const versions = new Map<string, number>();
    const upcasters = new Map<string, Upcaster>();
    for (const feature of features) {
      for (const [type, version] of Object.entries<number>(feature.versions)) {
        if (versions.has(type)) throw new Error(`two features declare the event type ${type}`);
        versions.set(type, version);
      }
      for (const upcaster of feature.upcasters ?? []) {
        const key = keyOf(upcaster.type, upcaster.fromVersion);
        if (upcasters.has(key)) throw new Error(`two upcasters of ${upcaster.type} from version ${upcaster.fromVersion}`);
        upcasters.set(key, upcaster);
      }
    }
    for (const upcaster of upcasters.values()) {
      const current = versions.get(upcaster.type);
      if (current === undefined || upcaster.fromVersion >= current) {
        throw new Error(`the upcaster of ${upcaster.type} from version ${upcaster.fromVersion} leads past its current version ${current}`);
      }
    }
    return new EventSchemaRegistry(versions, upcasters);
  }

  /** The schema version an event type is written with. */
  schemaVersionOf(type: string): number {
    const version = this.versions.get(type);
    if (version === undefined) throw new Error(`No schema version for event type ${type}`);
    return version;
  }

  /** Whether any stored event may need upcasting at all. */
  get hasUpcasters(): boolean {
    return this.upcasters.size > 0;
  }

  /** The event in the current schema of its type (the same object when it already is). */
  upcast(event: RecordedEvent): RecordedEvent {
    let version = typeof event.metadata.schemaVersion === 'number' ? event.metadata.schemaVersion : UNVERSIONED;
    let upcaster = this.upcasters.get(keyOf(event.type, version));
    if (!upcaster) return event;
    let { data } = event;
    while (upcaster) {
      data = upcaster.upcast(data, event.metadata);
      version++;
      upcaster = this.upcasters.get(keyOf(event.type, version));
    }
    return { ...event, data, metadata: { ...event.metadata, schemaVersion: version } };
  }
}

function keyOf(type: string, version: number): string {
  return `${type}@${version}`;
}
