import type { Writable } from 'node:stream';

/**
 * Writes lines to an output that a reader may close early (`replay … | head`): it waits for the
 * reader when the pipe is full, and once the reader is gone (EPIPE) `write` answers false so the
 * command stops producing and ends cleanly instead of dying on an unhandled 'error'.
 */
export class LineOutput {
  private closed = false;

  constructor(private readonly stream: Writable = process.stdout) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      this.closed = true;
      stream.emit('drain');
    });
  }

  /** False when the reader has gone: stop writing. */
  async write(line: string): Promise<boolean> {
    if (this.closed) return false;
    if (!this.stream.write(`${line}\n`)) await new Promise((resolve) => this.stream.once('drain', resolve));
    return !this.closed;
  }
}
