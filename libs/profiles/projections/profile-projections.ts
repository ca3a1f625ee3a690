import type { Projection } from '../../projections/projection.js';
import { mergeSuggestionsProjection } from './merge-suggestions/merge-suggestions.projection.js';
import { profileViewsProjection } from './profile-views/profile-views.projection.js';

/** The read models of profiles, as the projector runs them. */
export const PROFILE_PROJECTIONS: readonly Projection[] = [profileViewsProjection, mergeSuggestionsProjection];
