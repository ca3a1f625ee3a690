import { DeciderSpecification } from '../eventsourcing/testing/decider-spec.js';
import { mergeSuggestionDecider, mergeSuggestionIdOf, type MergeSuggestionEvent } from './merge-suggestion.js';

const spec = DeciderSpecification.for(mergeSuggestionDecider);
const suggestionId = mergeSuggestionIdOf('acme', ['c-1', 'c-2']);
const pair = { suggestionId, workspace: 'acme', contactIds: ['c-1', 'c-2'] };
const dismissed: MergeSuggestionEvent = { type: 'MergeSuggestionDismissed', data: pair };

describe('the merge-suggestion decider', () => {
  it('names one pair by one id, whichever order its contacts come in', () => {
    expect(mergeSuggestionIdOf('acme', ['c-2', 'c-1'])).toBe(suggestionId);
    expect(mergeSuggestionIdOf('globex', ['c-1', 'c-2'])).not.toBe(suggestionId);
  });

  it('dismisses once; dismissing again writes nothing', () => {
    spec.given([]).when({ type: 'DismissMergeSuggestion', ...pair }).then([dismissed]);
    spec.given([dismissed]).when({ type: 'DismissMergeSuggestion', ...pair }).thenNothing();
  });

  it('records an acceptance with the profile both contacts joined', () => {
    spec
      .given([])
      .when({ type: 'AcceptMergeSuggestion', ...pair, profileId: 'p-1' })
      .then([{ type: 'MergeSuggestionAccepted', data: { ...pair, profileId: 'p-1' } }]);
  });
});
