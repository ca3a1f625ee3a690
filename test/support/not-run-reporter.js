import { relative } from 'node:path';

/**
 * Says plainly, at the end of the run, which suites could not run here: a suite that lacks its
 * server and may not fail the run (no EventStoreDB can run in CI) declares a todo test whose
 * title starts with "NOT RUN", and this reporter repeats it after jest's summary, where a skip
 * would otherwise be one number among others.
 */
export default class NotRunReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const notRun = results.testResults.flatMap((file) =>
      file.testResults
        .filter((test) => test.status === 'todo' && test.title.startsWith('NOT RUN'))
        .map((test) => `${relative(this.rootDir, file.testFilePath)}: ${test.title.replace(/^NOT RUN:?\s*/, '')}`),
    );
    if (notRun.length === 0) return;
    process.stderr.write(`\n${notRun.map((line) => `NOT RUN — ${line}`).join('\n')}\n`);
  }
}
