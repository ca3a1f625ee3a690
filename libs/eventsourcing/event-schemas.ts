import Type, { type Static, type TProperties, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import type { JsonObject, RecordedEvent } from '../event-store/event-store.port.js';
import type { AnyRecordedEvent, DomainEvent, Recorded } from './domain-event.js';

/*
 * The event contract (DESIGN.md: events are the public contract, versioned, documented, upcast
 * on read). Each event type's `data` is declared once, as a TypeBox schema: the TypeScript type
 * the code writes and reads is `Static` of it, the JSON Schema published at /v1/event-schemas and
 * in docs/events is the schema itself, and every append is checked against it.
 */

/** The `data` schema of each event type of a feature, in its current version. */
export type EventDataSchemas = { readonly [type: string]: TSchema };

/** The event a table of data schemas declares for `Type`: `{ type, data: Static<schema> }`. */
export type EventOf<S extends EventDataSchemas, Type extends keyof S & string> = { type: Type; data: Static<S[Type]> };

/** Every event a table of data schemas declares, as a union. */
export type EventsOf<S extends EventDataSchemas> = { [Type in keyof S & string]: EventOf<S, Type> }[keyof S & string];

/** The data of an event that carries nothing but its type (and metadata). */
export const NoData = (description: string) =>
  Type.Unsafe<Record<string, never>>(Type.Object({}, { additionalProperties: false, description, examples: [{}] }));

/** `data.personal`: the personal values of an event, encrypted in the log with the contact's key (libs/personal-data). */
export const Personal = <P extends TProperties>(properties: P) =>
  Type.Object(properties, {
    additionalProperties: false,
    description: "Personal data: encrypted in the log with the contact's key; every value reads as null once the contact is deleted",
  });

/**
 * Turns the `data` of an event stored in schema version `fromVersion` of its type into version
 * `fromVersion + 1`. Old events are upcast on every read, never rewritten (DESIGN.md). `schema`
 * is the `data` schema of `fromVersion`: the contract of the events stored in it.
 */
export interface Upcaster {
  readonly type: string;
  readonly fromVersion: number;
  readonly schema: TSchema;
  upcast(data: JsonObject, metadata: JsonObject): JsonObject;
}

/** What a feature publishes about its events: the schema version each type is written in, its `data` schema, and the upcasters of older versions. */
export interface EventSchemas<E extends DomainEvent = DomainEvent> {
  readonly versions: { readonly [Type in E['type']]: number };
  readonly schemas: { readonly [Type in E['type']]: TSchema };
  readonly upcasters?: readonly Upcaster[];
}

/** A feature's event schemas from its data schemas: a type with upcasters is written in the version after the last of them. */
export function eventSchemasOf<S extends EventDataSchemas>(schemas: S, upcasters: readonly Upcaster[] = []): EventSchemas<EventsOf<S>> {
  const versions = Object.fromEntries(
    Object.keys(schemas).map((type) => [type, 1 + upcasters.filter((upcaster) => upcaster.type === type).length]),
  ) as EventSchemas<EventsOf<S>>['versions'];
  return { versions, schemas: schemas as EventSchemas<EventsOf<S>>['schemas'], upcasters };
}

/** A guard for the feature's events: the one place where a log event becomes a typed domain event. */
export function isEventOf<E extends DomainEvent>(
  schemas: EventSchemas<E> | Pick<EventSchemas<E>, 'versions'>,
): (event: AnyRecordedEvent) => event is Recorded<E> {
  return (event): event is Recorded<E> => Object.hasOwn(schemas.versions, event.type);
}

/** An event stored before schema versions were recorded is in version 1. */
const UNVERSIONED = 1;

/** An event the code was about to append outside the published contract: a defect, refused before it reaches the log. */
export class EventOutsideContractError extends Error {
  override readonly name = 'EventOutsideContractError';
}

type Validator = ReturnType<typeof Compile>;

/**
 * Every feature's event schemas, merged by the composition root: the version to write each
 * event type with, the `data` schema of every version, and the chain of upcasters that brings
 * a stored event to the current version.
 */
export class EventSchemaRegistry {
  private readonly validators = new Map<string, Validator>();

  private constructor(
    private readonly versions: ReadonlyMap<string, number>,
    private readonly schemas: ReadonlyMap<string, TSchema>,
    private readonly upcasters: ReadonlyMap<string, Upcaster>,
  ) {}

  static of(...features: readonly EventSchemas[]): EventSchemaRegistry {
    const versions = new Map<string, number>();
    const schemas = new Map<string, TSchema>();
    const upcasters = new Map<string, Upcaster>();
    for (const feature of features) {
      for (const [type, version] of Object.entries<number>(feature.versions)) {
        if (versions.has(type)) throw new Error(`two features declare the event type ${type}`);
        const schema = (feature.schemas as Record<string, TSchema>)[type];
        if (!schema) throw new Error(`the event type ${type} has no data schema`);
        versions.set(type, version);
        schemas.set(keyOf(type, version), schema);
      }
      for (const upcaster of feature.upcasters ?? []) {
        const key = keyOf(upcaster.type, upcaster.fromVersion);
        if (upcasters.has(key)) throw new Error(`two upcasters of ${upcaster.type} from version ${upcaster.fromVersion}`);
        upcasters.set(key, upcaster);
        schemas.set(key, upcaster.schema);
      }
    }
    for (const upcaster of upcasters.values()) {
      const current = versions.get(upcaster.type);
      if (current === undefined || upcaster.fromVersion >= current) {
        throw new Error(`the upcaster of ${upcaster.type} from version ${upcaster.fromVersion} leads past its current version ${current}`);
      }
    }
    for (const [type, current] of versions) {
      for (let version = 1; version < current; version++) {
        if (!upcasters.has(keyOf(type, version))) throw new Error(`${type} version ${version} has no upcaster to version ${version + 1}`);
      }
    }
    return new EventSchemaRegistry(versions, schemas, upcasters);
  }

  /** The schema version an event type is written with. */
  schemaVersionOf(type: string): number {
    const version = this.versions.get(type);
    if (version === undefined) throw new Error(`No schema version for event type ${type}`);
    return version;
  }

  /** Every event type with the `data` schema of each of its versions, oldest first. */
  dataSchemas(): Array<{ type: string; versions: Array<{ version: number; schema: TSchema }> }> {
    return [...this.versions].map(([type, current]) => ({
      type,
      versions: Array.from({ length: current }, (_, index) => ({ version: index + 1, schema: this.schemas.get(keyOf(type, index + 1))! })),
    }));
  }

  /** Refuses (EventOutsideContractError) an event to append whose type or data its current schema does not describe. */
  checkAppended(event: { type: string; data: unknown }): void {
    const key = keyOf(event.type, this.versions.get(event.type) ?? 0);
    const schema = this.schemas.get(key);
    if (!schema) throw new EventOutsideContractError(`The event type ${event.type} has no schema`);
    let validator = this.validators.get(key);
    if (!validator) this.validators.set(key, (validator = Compile(schema)));
    if (validator.Check(event.data)) return;
    const problems = [...validator.Errors(event.data)].slice(0, 3).map((error) => `${error.instancePath || '/'} ${error.message}`);
    throw new EventOutsideContractError(`${event.type} data does not match its schema: ${problems.join('; ')}`);
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
