import { loadConfig } from '../../libs/config/config.js';
import { startProjector } from './projector.js';

const projector = await startProjector(loadConfig()).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`${signal}: stopping the projections`);
    projector.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('the projector did not stop cleanly', error);
        process.exit(1);
      },
    );
  });
}
