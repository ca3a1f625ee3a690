import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { ContactLog } from '../../libs/contacts/testing/contact-log.js';
import { LineOutput } from './line-output.js';
import { replay, replayFilterOf } from './replay.command.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const at = (minute: number) => new Date(Date.UTC(2026, 10, 22, 10, minute));

describe('cli replay', () => {
  let log: ContactLog;
  let ann: string;
  beforeEach(async () => {
    log = ContactLog.open();
    ann = (await log.report('whatsapp', '+15551234567', { name: 'Ann' }, { at: at(0) })).contactId;
    await log.report('telegram', 'bob', { name: 'Bob' }, { at: at(1) });
    await log.edit(ann, { name: 'Ann Lee' }, { at: at(2) });
    await log.grantEditing(['agent-1']);
  });
  afterEach(() => log.close());

  async function run(args: string[]) {
    const lines: string[] = [];
    const progress: string[] = [];
    const output = new LineOutput(new Writable({ write: (chunk, _, done) => (lines.push(...String(chunk).split('\n').filter(Boolean)), done()) }));
    await replay(log.store, replayFilterOf(args), output, { isTTY: false, write: (text) => progress.push(text) });
    return { events: lines.map((line) => JSON.parse(line)), progress: progress.join('') };
  }

  it('writes the whole log as NDJSON in log order, with progress and a count on stderr', async () => {
    const { events, progress } = await run([]);
    expect(events.map((event) => event.type)).toEqual([
      'ContactRegistered',
      'ChannelDataReceived',
      'ContactRegistered',
      'ChannelDataReceived',
      'ContactFieldEdited',
      'ContactEditingGranted',
    ]);
    expect(events[4]).toMatchObject({ streamId: `contact-${ann}`, revision: 2, schemaVersion: 1, occurredAt: at(2).toISOString(), data: { field: 'name' } });
    expect(progress).toMatch(/^replay \[#+\] 6\/6 events/m);
    expect(progress).toMatch(/replay: 6 events written/);
  });

  it('filters by contact or stream, by type and by time (inclusive)', async () => {
    expect((await run([ann])).events.map((event) => event.type)).toEqual(['ContactRegistered', 'ChannelDataReceived', 'ContactFieldEdited']);
    expect((await run(['--stream', 'workspace-acme'])).events.map((event) => event.type)).toEqual(['ContactEditingGranted']);
    expect((await run(['--type', 'ContactRegistered,ContactFieldEdited'])).events).toHaveLength(3);
    const window = await run(['--from', at(1).toISOString(), '--to', at(2).toISOString()]);
    expect(window.events.map((event) => event.occurredAt)).toEqual([at(1), at(1), at(2)].map((time) => time.toISOString()));
    await expect(run([randomUUID()])).rejects.toThrow(/no events in contact-/);
    expect(() => replayFilterOf(['--from', 'yesterday'])).toThrow(/--from must be an ISO time/);
  });

  it('exits cleanly, status 0 and nothing on stderr but progress, when its reader closes the pipe (replay | head -n 1)', async () => {
    for (let i = 0; i < 300; i++) await log.report('webchat', `visitor-${i}`, { name: `Visitor ${i}` });
    // The shell's exit status is that of its last command: run replay's on its own to see it.
    const child = spawn('bash', ['-c', `set -o pipefail; node --import ./test/support/register-ts.mjs apps/cli/main.ts replay | head -n 1`], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: log.dataDir, EVENTSTORE_CONNECTION_STRING: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(stdout).type).toBe('ContactRegistered');
    expect(stderr).not.toMatch(/EPIPE|Error/);
  }, 60_000);
});
