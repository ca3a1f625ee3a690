import { contactHistoryProjection } from './contact-history/contact-history.projection.js';
import { contactSearchProjection } from './contact-search/contact-search.projection.js';
import { contactViewsProjection } from './contact-views/contact-views.projection.js';
import type { Projection } from '../../projections/projection.js';
import { tagUsageProjection } from './tag-usage/tag-usage.projection.js';

/** The read models of contacts, as the projector runs them. */
export const CONTACT_PROJECTIONS: readonly Projection[] = [
  contactViewsProjection,
  contactSearchProjection,
  contactHistoryProjection,
  tagUsageProjection,
];

export const CONTACT_PROJECTION_NAMES: readonly string[] = CONTACT_PROJECTIONS.map((projection) => projection.name);
