import { Type, type Static } from '../../http/openapi/schema.js';
import { WRITE_ANSWER_PROPERTIES } from '../../http/openapi/write-answer.js';

const agentIds = Type.Array(Type.String(), { description: 'The agents who may edit contacts, by id' });

export const ContactEditorsSchema = Type.Object(
  { agentIds, version: WRITE_ANSWER_PROPERTIES.version },
  { $id: 'ContactEditors', examples: [{ agentIds: ['agent-7', 'agent-9'], version: 4 }] },
);
export type ContactEditors = Static<typeof ContactEditorsSchema>;

export const ContactEditorsWrittenSchema = Type.Object({ agentIds, ...WRITE_ANSWER_PROPERTIES }, { $id: 'ContactEditorsWritten' });
export type ContactEditorsWritten = Static<typeof ContactEditorsWrittenSchema>;
