import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_DOCS_DIR, eventDocsOf } from '../../apps/event-docs/event-docs.js';
import { EVENT_SCHEMAS } from '../../apps/shared/event-log.js';
import { publishedEventSchemas } from '../../libs/event-stream/published-event-schemas.js';

describe('docs/events', () => {
  it('is what the event declarations give: `npm run events:docs` after changing an event', () => {
    const expected = eventDocsOf(publishedEventSchemas(EVENT_SCHEMAS));
    const present = readdirSync(EVENT_DOCS_DIR);
    const stale = [
      ...Object.keys(expected).filter((name) => !present.includes(name)).map((name) => `${name} is missing`),
      ...present.filter((name) => !(name in expected)).map((name) => `${name} is no event schema any more`),
      ...present.filter((name) => name in expected && readFileSync(join(EVENT_DOCS_DIR, name), 'utf8') !== expected[name]).map((name) => `${name} is stale`),
    ];
    expect(stale.map((problem) => `${problem}: run npm run events:docs`)).toEqual([]);
  });
});
