import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishedEventSchemas } from '../../libs/event-stream/published-event-schemas.js';
import { EVENT_SCHEMAS } from '../shared/event-log.js';
import { EVENT_DOCS_DIR, eventDocsOf } from './event-docs.js';

/** `npm run events:docs`: writes docs/events from the event declarations, and removes what no longer is one. */
const files = eventDocsOf(publishedEventSchemas(EVENT_SCHEMAS));
mkdirSync(EVENT_DOCS_DIR, { recursive: true });
for (const name of readdirSync(EVENT_DOCS_DIR)) if (!(name in files)) rmSync(join(EVENT_DOCS_DIR, name));
for (const [name, text] of Object.entries(files)) writeFileSync(join(EVENT_DOCS_DIR, name), text);
console.log(`wrote ${Object.keys(files).length} files to ${EVENT_DOCS_DIR}`);
