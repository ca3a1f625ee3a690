import type { RecordedEvent } from '../../../event-store/event-store.port.js';
import { foldDocuments, writeFolded } from '../../../projections/positioned-documents.js';
import type { Projection } from '../../../projections/projection.js';
import { tagKey } from '../../../workspace/tag-name.js';
import { contactEventsOf, type LoggedContactEvent } from '../contact-events-of.js';
import { groupBy } from '../../../projections/group-by.js';

export const TAG_USAGE_COLLECTION = 'tag_usage';
export const TAG_USAGE_CONTACTS_COLLECTION = 'tag_usage_contacts';

/** A workspace tag and how many contacts carry it. */
export type TagUsageDocument = { _id: string; workspace: string; key: string; name: string; contacts: number; position: number };

/** The tag keys one contact carries: what its deletion takes off the counts. */
export type TagUsageContactDocument = { _id: string; workspace: string; tags: string[]; position: number };

/** One change of a tag's count (or its creation, delta 0), at the position of the event that caused it. */
type TagDelta = { id: string; workspace: string; name: string; delta: number; position: number };

/** The contact events that change which tags a contact carries. */
const TAG_EVENT_TYPES: ReadonlySet<string> = new Set(['TagAssigned', 'TagRemoved', 'ContactDeleted']);

export const tagUsageIdOf = (workspace: string, tag: string): string => JSON.stringify([workspace, tagKey(tag)]);

/**
 * `tag-usage`: the workspace's tags with the number of contacts carrying each (`GET /v1/tags`).
 * No `$inc`: every count is folded in position order into a document that records the position
 * of its last change, so a redelivered event changes nothing. Counts are written before the
 * per-contact tag lists: after a crash between the two, the retry derives the same changes
 * from the unchanged lists and the counts skip those already applied.
 */
export const tagUsageProjection: Projection = {
  name: 'tag-usage',
  collections: [TAG_USAGE_COLLECTION, TAG_USAGE_CONTACTS_COLLECTION],
  findsByIdOnly: true,

  async setup(db) {
    await db.collection<TagUsageDocument>(TAG_USAGE_COLLECTION).createIndex({ workspace: 1, key: 1 });
  },

  async applyBatch(events, db) {
    const usage = db.collection<TagUsageDocument>(TAG_USAGE_COLLECTION);
    const contacts = db.collection<TagUsageContactDocument>(TAG_USAGE_CONTACTS_COLLECTION);

    const deltas: TagDelta[] = events.flatMap(createdTagOf);
    const tagEvents = contactEventsOf(events).filter((event) => TAG_EVENT_TYPES.has(event.type));
    if (deltas.length === 0 && tagEvents.length === 0) return;
    const writtenContacts = db.owned?.written<TagUsageContactDocument>(TAG_USAGE_CONTACTS_COLLECTION);
    const writtenUsage = db.owned?.written<TagUsageDocument>(TAG_USAGE_COLLECTION);
    const changedContacts = await foldDocuments(contacts, groupBy(tagEvents, (event) => event.contactId), (document, event) => {
      const before = document ?? { _id: event.contactId, workspace: event.metadata.workspace, tags: [], position: 0 };
      const { tags, changes } = tagChangesOf(before.tags, event);
      deltas.push(...changes);
      return { ...before, tags, position: event.position };
    }, writtenContacts);
    deltas.sort((a, b) => a.position - b.position);

    const changedTags = await foldDocuments(usage, groupBy(deltas, (delta) => delta.id), (document, delta) => ({
      _id: delta.id,
      workspace: delta.workspace,
      key: tagKey(delta.name),
      name: document?.name ?? delta.name,
      contacts: Math.max(0, (document?.contacts ?? 0) + delta.delta),
      position: delta.position,
    }), writtenUsage);
    await writeFolded(usage, changedTags, writtenUsage);
    await writeFolded(contacts, changedContacts, writtenContacts);
  },
};

function createdTagOf(event: RecordedEvent): TagDelta[] {
  if (event.type !== 'TagCreated' || !event.streamId.startsWith('workspace-')) return [];
  const workspace = String((event.metadata as { workspace?: unknown }).workspace);
  const name = String(event.data.name);
  return [{ id: tagUsageIdOf(workspace, name), workspace, name, delta: 0, position: event.position }];
}

function tagChangesOf(tags: readonly string[], event: LoggedContactEvent): { tags: string[]; changes: TagDelta[] } {
  const workspace = event.metadata.workspace;
  const change = (name: string, delta: number): TagDelta => ({ id: tagUsageIdOf(workspace, name), workspace, name, delta, position: event.position });
  switch (event.type) {
    case 'TagAssigned': {
      const key = tagKey(event.data.tag);
      return tags.includes(key) ? { tags: [...tags], changes: [] } : { tags: [...tags, key], changes: [change(event.data.tag, 1)] };
    }
    case 'TagRemoved': {
      const key = tagKey(event.data.tag);
      return tags.includes(key) ? { tags: tags.filter((tag) => tag !== key), changes: [change(event.data.tag, -1)] } : { tags: [...tags], changes: [] };
    }
    case 'ContactDeleted':
      return { tags: [], changes: tags.map((key) => change(key, -1)) };
    default:
      return { tags: [...tags], changes: [] };
  }
}
