import { Type } from './schema.js';

/** What every write answers beside its own fields (API.md, "Conventions"): spread into an answer's properties. */
export const WRITE_ANSWER_PROPERTIES = {
  version: Type.Integer({ minimum: 0, description: 'The stream version after the write (also in `ETag`): send it as `If-Match` to make the next write conditional' }),
  position: Type.Integer({ minimum: 0, description: 'The event-log position of the write: send it as `?minPosition=` on a read to see the write' }),
};
