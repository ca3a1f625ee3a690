import { describe, it } from '@jest/globals';

/**
 * Declares a suite that needs a MongoDB-protocol server at MONGODB_URI, as
 * describeWithDocumentStores does for its MongoDB half: with CI=true a missing server fails,
 * otherwise the suite is skipped with a note.
 */
export function describeWithMongoDb(title: string, suite: (uri: string) => void): void {
  const uri = process.env.MONGODB_URI;
  const howToStart = 'start FerretDB with `export MONGODB_URI=$(bash test/support/ferretdb.sh start)`';
  if (uri) {
    describe(title, () => suite(uri));
  } else if (process.env.CI === 'true') {
    describe(title, () => {
      it('needs a MongoDB-protocol server', () => {
        throw new Error(`MONGODB_URI is not set; ${howToStart}`);
      });
    });
  } else {
    console.warn(`Skipping ${title}: MONGODB_URI is not set; ${howToStart}`);
    describe.skip(title, () => {
      it('runs against MONGODB_URI', () => undefined);
    });
  }
}
