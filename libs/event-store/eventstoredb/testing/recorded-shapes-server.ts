import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';

/**
 * A gRPC server that speaks EventStoreDB's Streams protocol and answers with shapes recorded
 * from the real server (EventStore/EventStore, `Enumerator.ConvertToRecordedEvent`,
 * `ResolvedEvent.CalculatePosition`, `IndexWriter.CheckCommit`). The adapter under test uses the
 * real `@eventstore/db-client` against it, so everything from the wire to the port is exercised:
 * the client's protobuf decoding, its default of "0" for unset positions, its JSON parsing, its
 * stream objects and their errors. What the server would do by itself (store, index, filter)
 * is scripted by each test: this is a recording, not an EventStoreDB.
 */

const require = createRequire(import.meta.url);
const grpc = require('@grpc/grpc-js') as typeof import('@grpc/grpc-js');
const streamsPb = require('@eventstore/db-client/generated/streams_pb.js') as typeof import('@eventstore/db-client/generated/streams_pb.js');
const sharedPb = require('@eventstore/db-client/generated/shared_pb.js') as typeof import('@eventstore/db-client/generated/shared_pb.js');
const { StreamsService } = require('@eventstore/db-client/generated/streams_grpc_pb.js') as typeof import('@eventstore/db-client/generated/streams_grpc_pb.js');

type ReadResp = import('@eventstore/db-client/generated/streams_pb.js').ReadResp;
type ReadReq = import('@eventstore/db-client/generated/streams_pb.js').ReadReq;
type AppendReq = import('@eventstore/db-client/generated/streams_pb.js').AppendReq;
type AppendResp = import('@eventstore/db-client/generated/streams_pb.js').AppendResp;
type ServerWritableStream = import('@grpc/grpc-js').ServerWritableStream<ReadReq, ReadResp>;

/** `ulong.MaxValue`: what the server sends for a position it does not know (`Position.FromInt64(-1, -1)`). */
export const UNKNOWN_POSITION = 18446744073709551615n;

export interface RecordedShape {
  streamId: string;
  revision: number;
  /** As the server sends them. A self-committed event has commit = prepare = its log position. */
  commit: bigint;
  prepare: bigint;
  id?: string;
  type?: string;
  /** Raw bytes as stored; an object is sent as its JSON. */
  data?: Uint8Array | object;
  metadata?: Uint8Array | object;
  contentType?: 'application/json' | 'application/octet-stream';
  created?: Date;
}

/** What the adapter asked for, decoded from the request. */
export interface ReadRequest {
  target: { stream: string } | { all: true };
  subscription: boolean;
  backwards: boolean;
  /** `start`, `end`, a revision or a {commit, prepare} position. */
  from: 'start' | 'end' | bigint | { commit: bigint; prepare: bigint };
  count?: bigint;
  filter?: { on: 'streamName' | 'eventType'; prefixes: string[]; regex: string };
}

export interface AppendRequest {
  streamId: string;
  expected: 'any' | 'no_stream' | 'stream_exists' | bigint;
  events: Array<{ id: string; type: string }>;
}

export type AppendReply = AppendSuccess | { wrongExpectedVersion: { current: bigint | 'no_stream' } };

export interface AppendSuccess {
  currentRevision: bigint | 'no_stream';
  /** Absent: `no_position`, as the server answers an idempotent or an empty write. */
  position?: { commit: bigint; prepare: bigint };
}

/** The server side of one read: answer with events, end it, or fail it. */
export class ReadCall {
  private readonly closed: Promise<void>;

  constructor(
    readonly request: ReadRequest,
    private readonly call: ServerWritableStream,
  ) {
    this.closed = new Promise((resolve) => {
      call.on('cancelled', resolve);
      call.on('close', resolve);
      call.on('finish', resolve);
    });
  }

  get cancelled(): boolean {
    return this.call.cancelled;
  }

  /** Resolves once the client has cancelled or the call has ended. */
  whenClosed(): Promise<void> {
    return this.closed;
  }

  confirm(): void {
    const confirmation = new streamsPb.ReadResp.SubscriptionConfirmation();
    confirmation.setSubscriptionId(randomUUID());
    this.write(new streamsPb.ReadResp().setConfirmation(confirmation));
  }

  /** Sends events as `ReadResp.ReadEvent`s; `readEventPosition` is the ReadEvent's own commit position oneof. */
  events(shapes: RecordedShape[], readEventPosition: 'commit' | 'none' = 'commit'): void {
    for (const shape of shapes) this.write(new streamsPb.ReadResp().setEvent(readEvent(shape, readEventPosition)));
  }

  checkpoint(position: bigint): void {
    const checkpoint = new streamsPb.ReadResp.Checkpoint();
    checkpoint.setCommitPosition(position.toString()).setPreparePosition(position.toString());
    this.write(new streamsPb.ReadResp().setCheckpoint(checkpoint));
  }

  caughtUp(): void {
    this.write(new streamsPb.ReadResp().setCaughtUp(new streamsPb.ReadResp.CaughtUp()));
  }

  streamNotFound(streamId: string): void {
    const notFound = new streamsPb.ReadResp.StreamNotFound();
    notFound.setStreamIdentifier(streamIdentifier(streamId));
    this.write(new streamsPb.ReadResp().setStreamNotFound(notFound));
  }

  end(): void {
    if (!this.call.writableEnded) this.call.end();
  }

  /** Ends the call with a gRPC status, as the server's `RpcExceptions` do. */
  fail(code: number, details: string, metadata: Record<string, string> = {}): void {
    const trailer = new grpc.Metadata();
    for (const [key, value] of Object.entries(metadata)) trailer.set(key, value);
    this.call.emit('error', { code, details, metadata: trailer });
  }

  private write(response: ReadResp): void {
    if (!this.call.cancelled && !this.call.writableEnded) this.call.write(response);
  }
}

export class RecordedShapesServer {
  /** Every read the adapter started, in order. */
  readonly reads: ReadCall[] = [];
  readonly appends: AppendRequest[] = [];
  /** Scripts the server's side of a read. The default ends it at once. */
  onRead: (call: ReadCall) => void | Promise<void> = (call) => call.end();
  onAppend: (request: AppendRequest) => AppendReply = () => {
    throw new Error('no append scripted');
  };

  private constructor(
    private readonly server: import('@grpc/grpc-js').Server,
    readonly port: number,
  ) {}

  static async start(): Promise<RecordedShapesServer> {
    const server = new grpc.Server();
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    const recorded = new RecordedShapesServer(server, port);
    server.addService(StreamsService, {
      read: (call: ServerWritableStream) => {
        const read = new ReadCall(toReadRequest(call.request), call);
        recorded.reads.push(read);
        void Promise.resolve(recorded.onRead(read)).catch((error: unknown) => read.fail(grpc.status.INTERNAL, String(error)));
      },
      append: (call: import('@grpc/grpc-js').ServerReadableStream<AppendReq, AppendResp>, reply: import('@grpc/grpc-js').sendUnaryData<AppendResp>) => {
        const messages: AppendReq[] = [];
        call.on('data', (message: AppendReq) => messages.push(message));
        call.on('end', () => {
          try {
            const request = toAppendRequest(messages);
            recorded.appends.push(request);
            reply(null, toAppendResponse(recorded.onAppend(request)));
          } catch (error) {
            reply({ code: grpc.status.INTERNAL, details: String(error) });
          }
        });
      },
    });
    return recorded;
  }

  get connectionString(): string {
    return `esdb://127.0.0.1:${this.port}?tls=false`;
  }

  /** Resolves once the adapter has started `count` reads in all. */
  async readsStarted(count: number, timeoutMs = 5_000): Promise<ReadCall[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.reads.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} reads, got ${this.reads.length}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return this.reads;
  }

  async stop(): Promise<void> {
    this.server.forceShutdown();
  }
}

/** A self-committed event at `position`, as the server records a single append: commit = prepare. */
export function selfCommitted(position: bigint, shape: Omit<RecordedShape, 'commit' | 'prepare'>): RecordedShape {
  return { ...shape, commit: position, prepare: position };
}

function readEvent(shape: RecordedShape, readEventPosition: 'commit' | 'none'): InstanceType<typeof streamsPb.ReadResp.ReadEvent> {
  const record = new streamsPb.ReadResp.ReadEvent.RecordedEvent();
  const id = new sharedPb.UUID();
  id.setString(shape.id ?? randomUUID());
  record.setId(id);
  record.setStreamIdentifier(streamIdentifier(shape.streamId));
  record.setStreamRevision(String(shape.revision));
  record.setCommitPosition(shape.commit.toString());
  record.setPreparePosition(shape.prepare.toString());
  const metadata = record.getMetadataMap();
  metadata.set('type', shape.type ?? 'Recorded');
  metadata.set('content-type', shape.contentType ?? 'application/json');
  metadata.set('created', String(BigInt((shape.created ?? new Date('2024-05-06T07:08:09.123Z')).getTime()) * 10_000n));
  record.setData(toBytes(shape.data ?? {}));
  if (shape.metadata !== undefined) record.setCustomMetadata(toBytes(shape.metadata));
  const event = new streamsPb.ReadResp.ReadEvent();
  event.setEvent(record);
  if (readEventPosition === 'commit') event.setCommitPosition(shape.commit.toString());
  else event.setNoPosition(new sharedPb.Empty());
  return event;
}

function toBytes(content: Uint8Array | object): Uint8Array {
  return content instanceof Uint8Array ? content : Buffer.from(JSON.stringify(content), 'utf8');
}

function streamIdentifier(streamId: string): InstanceType<typeof sharedPb.StreamIdentifier> {
  const identifier = new sharedPb.StreamIdentifier();
  identifier.setStreamName(Buffer.from(streamId, 'utf8'));
  return identifier;
}

function toReadRequest(request: ReadReq): ReadRequest {
  const options = request.getOptions()!;
  const backwards = options.getReadDirection() === streamsPb.ReadReq.Options.ReadDirection.BACKWARDS;
  const filter = options.getFilter();
  const expression = filter?.getStreamIdentifier() ?? filter?.getEventType();
  const common = {
    subscription: options.hasSubscription(),
    backwards,
    ...(options.hasCount() && { count: BigInt(options.getCount()) }),
    ...(filter &&
      expression && {
        filter: {
          on: filter.hasStreamIdentifier() ? ('streamName' as const) : ('eventType' as const),
          prefixes: expression.getPrefixList(),
          regex: expression.getRegex(),
        },
      }),
  };
  if (options.hasStream()) {
    const stream = options.getStream()!;
    const name = Buffer.from(stream.getStreamIdentifier()!.getStreamName_asU8()).toString('utf8');
    const from = stream.hasStart() ? 'start' : stream.hasEnd() ? 'end' : BigInt(stream.getRevision());
    return { target: { stream: name }, from, ...common };
  }
  const all = options.getAll()!;
  const position = all.getPosition();
  const from = all.hasStart()
    ? 'start'
    : all.hasEnd()
      ? 'end'
      : { commit: BigInt(position!.getCommitPosition()), prepare: BigInt(position!.getPreparePosition()) };
  return { target: { all: true }, from, ...common };
}

function toAppendRequest(messages: AppendReq[]): AppendRequest {
  const [header, ...proposed] = messages;
  const options = header.getOptions()!;
  const streamId = Buffer.from(options.getStreamIdentifier()!.getStreamName_asU8()).toString('utf8');
  const expected = options.hasAny()
    ? 'any'
    : options.hasNoStream()
      ? 'no_stream'
      : options.hasStreamExists()
        ? 'stream_exists'
        : BigInt(options.getRevision());
  const events = proposed.map((message) => {
    const event = message.getProposedMessage()!;
    const id = event.getId()!;
    return { id: id.hasString() ? id.getString() : 'structured', type: event.getMetadataMap().get('type') ?? '' };
  });
  return { streamId, expected, events };
}

function toAppendResponse(reply: AppendReply): AppendResp {
  if ('wrongExpectedVersion' in reply) {
    const wrong = new streamsPb.AppendResp.WrongExpectedVersion();
    const { current } = reply.wrongExpectedVersion;
    if (current === 'no_stream') wrong.setCurrentNoStream(new sharedPb.Empty());
    else wrong.setCurrentRevision(current.toString());
    wrong.setExpectedAny(new sharedPb.Empty());
    return new streamsPb.AppendResp().setWrongExpectedVersion(wrong);
  }
  const success = new streamsPb.AppendResp.Success();
  if (reply.currentRevision === 'no_stream') success.setNoStream(new sharedPb.Empty());
  else success.setCurrentRevision(reply.currentRevision.toString());
  if (reply.position) {
    const position = new streamsPb.AppendResp.Position();
    position.setCommitPosition(reply.position.commit.toString()).setPreparePosition(reply.position.prepare.toString());
    success.setPosition(position);
  } else {
    success.setNoPosition(new sharedPb.Empty());
  }
  return new streamsPb.AppendResp().setSuccess(success);
}
