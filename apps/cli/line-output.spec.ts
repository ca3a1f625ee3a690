import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { LineOutput } from './line-output.js';

it('stops, without an error, when the reader closes the pipe (replay | head -n 1)', async () => {
  const head = spawn('head', ['-n', '1'], { stdio: ['pipe', 'pipe', 'inherit'] });
  let read = '';
  head.stdout.on('data', (chunk: Buffer) => (read += chunk.toString()));
  const output = new LineOutput(head.stdin);
  const exited = once(head, 'exit');

  let written = 0;
  while (written < 1_000_000 && (await output.write(JSON.stringify({ n: written, padding: 'x'.repeat(100) })))) written++;

  await exited;
  expect(read).toBe(`${JSON.stringify({ n: 0, padding: 'x'.repeat(100) })}\n`);
  expect(written).toBeLessThan(1_000_000);
  expect(await output.write('after the reader left')).toBe(false);
});
