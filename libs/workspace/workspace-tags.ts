import Type from 'typebox';
import { eventSchemasOf, isEventOf, type EventsOf } from '../eventsourcing/event-schemas.js';
import type { Decider } from '../eventsourcing/decider.js';
import { InvalidValuesError } from '../eventsourcing/domain-errors.js';
import { normalizeTag, tagKey } from './tag-name.js';

/**
 * The workspace's tags (respond.io): created on first use, compared case-insensitively, the
 * first spelling kept. Removing a tag from every contact leaves it in the workspace.
 */
export type WorkspaceTagsCommand = { type: 'CreateTag'; name: string };

const WORKSPACE_TAGS_EVENT_DATA = {
  TagCreated: Type.Object(
    { name: Type.String({ minLength: 1, description: "The tag in the workspace's spelling (the first one used)" }) },
    { additionalProperties: false, description: 'A tag was used for the first time in the workspace (compared case-insensitively)', examples: [{ name: 'VIP' }] },
  ),
};
export type WorkspaceTagsEvent = EventsOf<typeof WORKSPACE_TAGS_EVENT_DATA>;

export interface WorkspaceTagsState {
  /** Spelling of each tag by its key (lower case). */
  tags: ReadonlyMap<string, string>;
}

/** What the workspace's tags publish about their events; the composition root merges it with the others'. */
export const WORKSPACE_TAGS_EVENT_SCHEMAS = eventSchemasOf(WORKSPACE_TAGS_EVENT_DATA);

/** The workspace's spelling of a tag, if the workspace has it. */
export function workspaceSpellingOf(state: WorkspaceTagsState, tag: string): string | undefined {
  return state.tags.get(tagKey(tag));
}

export const workspaceTagsDecider: Decider<WorkspaceTagsCommand, WorkspaceTagsState, WorkspaceTagsEvent> = {
  isEvent: isEventOf(WORKSPACE_TAGS_EVENT_SCHEMAS),
  initialState: () => ({ tags: new Map() }),

  decide(command, state) {
    const checked = normalizeTag(command.name);
    if (!checked.ok) throw new InvalidValuesError([{ field: 'tag', message: checked.message }]);
    return workspaceSpellingOf(state, checked.value) ? [] : [{ type: 'TagCreated', data: { name: checked.value } }];
  },

  evolve(state, event) {
    if (event.type !== 'TagCreated') return state;
    const key = tagKey(event.data.name);
    if (state.tags.has(key)) return state;
    return { tags: new Map(state.tags).set(key, event.data.name) };
  },
};
