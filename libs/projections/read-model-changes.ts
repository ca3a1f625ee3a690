import type { DocumentStore } from '../document-store/document-store.port.js';
import { readCheckpoints } from './checkpoints.js';

export type ChangeListener<D> = (documents: readonly D[]) => void;

export interface ReadModelChangesOptions<D> {
  /** The projection whose checkpoint tells that its documents changed. */
  projection: string;
  /** Documents of the read model written at positions in (after, upTo], by position. */
  changedBetween(after: number, upTo: number): Promise<D[]>;
  pollIntervalMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * Tells listeners which documents of a read model changed, as the projection writes them: one
 * per process and read model, fed by the read model itself, not by the process's own events.
 * It polls the projection's checkpoint (cheap: one small document) while someone listens; when
 * the checkpoint moves it reads the documents the projection wrote up to it (each records the
 * position of its last event). As the checkpoint and the documents live in the shared store,
 * an instance sees the changes that another instance's projections, or the projector, made.
 */
export class ReadModelChanges<D extends { position: number }> {
  private readonly listeners = new Set<ChangeListener<D>>();
  private seen: number | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private polling: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly store: DocumentStore,
    private readonly options: ReadModelChangesOptions<D>,
  ) {}

  /**
   * Listens from the position the read model has reached now, which it answers: every document
   * written after it reaches the listener, in position order.
   */
  async listen(listener: ChangeListener<D>): Promise<{ position: number; stop: () => void }> {
    this.seen ??= await this.checkpoint();
    this.listeners.add(listener);
    this.schedule();
    return { position: this.seen, stop: () => this.listeners.delete(listener) };
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  close(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.timer || this.polling || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.polling = this.poll().finally(() => {
        this.polling = undefined;
        if (this.listeners.size > 0) this.schedule();
        // Nobody listens: forget the position, so the next listener starts from the read model's.
        else this.seen = undefined;
      });
    }, this.options.pollIntervalMs ?? 50);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    try {
      const checkpoint = await this.checkpoint();
      const seen = this.seen ?? checkpoint;
      if (checkpoint <= seen) return;
      const documents = await this.options.changedBetween(seen, checkpoint);
      this.seen = checkpoint;
      if (documents.length > 0) for (const listener of this.listeners) listener(documents);
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  private async checkpoint(): Promise<number> {
    return (await readCheckpoints(this.store, [this.options.projection]))[this.options.projection]!;
  }
}
