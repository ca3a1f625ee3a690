import { loadConfig } from '../../libs/config/config.js';
import { openDocumentStore } from '../../libs/document-store/open-document-store.js';
import { verifyContactViews, type VerifyResult } from '../../libs/contacts/projections/contact-views/verify-contact-views.js';
import { openEventLog } from '../shared/event-log.js';
import type { ProgressStream } from './progress-line.js';

export const VERIFY_USAGE = `verify
  Folds the log afresh up to the contact-views checkpoint and compares every stored contact view
  with it (on MONGODB_URI, else DATA_DIR/read-models.sqlite); lists each difference; exit status 1
  when there is one.`;

export async function verifyCommand(_args: string[], env: Record<string, string | undefined> = process.env, out: ProgressStream = process.stdout): Promise<VerifyResult> {
  const config = loadConfig(env);
  const eventStore = await openEventLog(config);
  try {
    const documentStore = await openDocumentStore(config);
    try {
      const result = await verifyContactViews(eventStore, documentStore);
      for (const difference of result.differences) {
        out.write(`${result.readModel} ${difference.id}: ${difference.problem}${difference.properties ? ` (${difference.properties.join(', ')})` : ''}\n`);
      }
      out.write(
        `${result.readModel}: ${result.checked} documents checked against the log up to position ${result.position}` +
          `${result.skipped ? ` (${result.skipped} newer skipped)` : ''}: ${result.differences.length === 0 ? 'no difference' : `${result.differences.length} difference(s)`}\n`,
      );
      if (result.differences.length > 0) process.exitCode = 1;
      return result;
    } finally {
      await documentStore.close();
    }
  } finally {
    await eventStore.close();
  }
}
