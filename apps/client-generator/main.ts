import { writeFileSync } from 'node:fs';
import { apiDocument, clientFilesOf } from './client-files.js';

/** `npm run client:generate`: writes libs/client/openapi.json and openapi-types.ts from the API's controllers. */
const files = await clientFilesOf(await apiDocument());
for (const [path, text] of Object.entries(files)) {
  writeFileSync(path, text);
  console.log(`wrote ${path}`);
}
