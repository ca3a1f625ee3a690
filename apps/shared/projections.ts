import { CONTACT_PROJECTIONS } from '../../libs/contacts/projections/contact-projections.js';
import { PROFILE_PROJECTIONS } from '../../libs/profiles/projections/profile-projections.js';
import type { Projection } from '../../libs/projections/projection.js';

/** Every read model of the service: what the API, the projector and `cli rebuild` run. */
export const ALL_PROJECTIONS: readonly Projection[] = [...CONTACT_PROJECTIONS, ...PROFILE_PROJECTIONS];

export const ALL_PROJECTION_NAMES: readonly string[] = ALL_PROJECTIONS.map((projection) => projection.name);
