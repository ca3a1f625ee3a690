import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, type EventStore } from '../../libs/event-store/event-store.port.js';
import type { DocumentStore } from '../../libs/read-models/document-store/document-store.port.js';
import { readCheckpoints } from '../../libs/read-models/projections/checkpoints.js';
import { CONTACT_PROJECTION_NAMES } from '../../libs/read-models/projections/contact-projections.js';
import { Public } from './auth/auth.guard.js';
import { DOCUMENT_STORE } from './read-models/read-model.tokens.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(DOCUMENT_STORE) private readonly documentStore: DocumentStore,
  ) {}

  @Public()
  @Get()
  @ApiOperation({ summary: "Answers 200 once the API serves, with the log's head and how far each projection got" })
  async health(): Promise<{ status: 'ok'; logHead: number; projections: Record<string, number> }> {
    const [logHead, projections] = await Promise.all([
      this.eventStore.headPosition(),
      readCheckpoints(this.documentStore, CONTACT_PROJECTION_NAMES),
    ]);
    return { status: 'ok', logHead, projections };
  }
}
