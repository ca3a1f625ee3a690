import type { Decider } from '../eventsourcing/decider.js';
import { deterministicId } from '../eventsourcing/deterministic-id.js';
import Type from 'typebox';
import { eventSchemasOf, isEventOf, type EventOf, type EventsOf } from '../eventsourcing/event-schemas.js';

/*
 * The decisions agents take on a merge suggestion, stream `merge-suggestion-<id>`: dismissals
 * are events, so a rebuild of every read model keeps the pair away; acceptances are recorded
 * beside the attaches they cause.
 */

const SUGGESTION = {
  suggestionId: Type.String({ format: 'uuid', description: 'UUIDv5 of the workspace and the pair of contacts' }),
  workspace: Type.String({ description: 'The workspace of both contacts' }),
  contactIds: Type.Array(Type.String({ format: 'uuid' }), { minItems: 2, maxItems: 2, description: 'The two contacts' }),
};
const SUGGESTION_EXAMPLE = {
  suggestionId: '5e4d3c2b-1a09-5f8e-9d7c-6b5a4f3e2d1c',
  workspace: 'acme',
  contactIds: ['0f8e2c1a-5b7d-5e3f-9a1c-2d4e6f8a0b1c', '1a2b3c4d-5e6f-5a7b-8c9d-0e1f2a3b4c5d'],
};

const MERGE_SUGGESTION_EVENT_DATA = {
  MergeSuggestionDismissed: Type.Object(SUGGESTION, {
    additionalProperties: false,
    description: 'An agent said the two contacts are not one person: the pair is not suggested again',
    examples: [SUGGESTION_EXAMPLE],
  }),
  MergeSuggestionAccepted: Type.Object(
    { ...SUGGESTION, profileId: Type.String({ format: 'uuid', description: 'The profile both contacts were attached to' }) },
    {
      additionalProperties: false,
      description: 'An agent accepted the suggestion: both contacts were attached to one profile',
      examples: [{ ...SUGGESTION_EXAMPLE, profileId: '7d9f4a3e-2b1c-4e8f-9a6d-5c4b3a2f1e0d' }],
    },
  ),
};
export type MergeSuggestionDismissed = EventOf<typeof MERGE_SUGGESTION_EVENT_DATA, 'MergeSuggestionDismissed'>;
export type MergeSuggestionEvent = EventsOf<typeof MERGE_SUGGESTION_EVENT_DATA>;

export type MergeSuggestionCommand =
  | { type: 'DismissMergeSuggestion'; suggestionId: string; workspace: string; contactIds: string[] }
  | { type: 'AcceptMergeSuggestion'; suggestionId: string; workspace: string; contactIds: string[]; profileId: string };

export type MergeSuggestionState = { workspace: string | null; dismissed: boolean };

/** What the profiles feature publishes about these events; the composition root merges it with the others'. */
export const MERGE_SUGGESTION_EVENT_SCHEMAS = eventSchemasOf(MERGE_SUGGESTION_EVENT_DATA);

export const MERGE_SUGGESTION_STREAM_PREFIX = 'merge-suggestion-';

export function mergeSuggestionStreamId(suggestionId: string): string {
  return `${MERGE_SUGGESTION_STREAM_PREFIX}${suggestionId}`;
}

/** One id per pair of contacts of a workspace, whichever order they come in. */
export function mergeSuggestionIdOf(workspace: string, contactIds: readonly [string, string]): string {
  const [a, b] = [...contactIds].sort();
  return deterministicId('merge-suggestion', workspace, a!, b!);
}

export const mergeSuggestionDecider: Decider<MergeSuggestionCommand, MergeSuggestionState, MergeSuggestionEvent> = {
  initialState: () => ({ workspace: null, dismissed: false }),
  decide(command, state) {
    const { suggestionId, workspace, contactIds } = command;
    if (command.type === 'DismissMergeSuggestion') {
      return state.dismissed ? [] : [{ type: 'MergeSuggestionDismissed', data: { suggestionId, workspace, contactIds } }];
    }
    return [{ type: 'MergeSuggestionAccepted', data: { suggestionId, workspace, contactIds, profileId: command.profileId } }];
  },
  evolve(state, event) {
    return { workspace: event.data.workspace, dismissed: state.dismissed || event.type === 'MergeSuggestionDismissed' };
  },
  isEvent: isEventOf(MERGE_SUGGESTION_EVENT_SCHEMAS),
};
