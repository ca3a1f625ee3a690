import type { Decider } from '../eventsourcing/decider.js';
import { deterministicId } from '../eventsourcing/deterministic-id.js';
import { isEventOf, type EventSchemas } from '../eventsourcing/event-schemas.js';

/*
 * The decisions agents take on a merge suggestion, stream `merge-suggestion-<id>`: dismissals
 * are events, so a rebuild of every read model keeps the pair away; acceptances are recorded
 * beside the attaches they cause.
 */

export type MergeSuggestionDismissed = { type: 'MergeSuggestionDismissed'; data: { suggestionId: string; workspace: string; contactIds: string[] } };
export type MergeSuggestionAccepted = {
  type: 'MergeSuggestionAccepted';
  data: { suggestionId: string; workspace: string; contactIds: string[]; profileId: string };
};
export type MergeSuggestionEvent = MergeSuggestionDismissed | MergeSuggestionAccepted;

export type MergeSuggestionCommand =
  | { type: 'DismissMergeSuggestion'; suggestionId: string; workspace: string; contactIds: string[] }
  | { type: 'AcceptMergeSuggestion'; suggestionId: string; workspace: string; contactIds: string[]; profileId: string };

export type MergeSuggestionState = { workspace: string | null; dismissed: boolean };

export const MERGE_SUGGESTION_EVENT_SCHEMA_VERSIONS: Record<MergeSuggestionEvent['type'], number> = {
  MergeSuggestionDismissed: 1,
  MergeSuggestionAccepted: 1,
};

/** What the profiles feature publishes about these events; the composition root merges it with the others'. */
export const MERGE_SUGGESTION_EVENT_SCHEMAS: EventSchemas<MergeSuggestionEvent> = { versions: MERGE_SUGGESTION_EVENT_SCHEMA_VERSIONS };

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
