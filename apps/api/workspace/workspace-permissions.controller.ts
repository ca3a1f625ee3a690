import { Body, Controller, Get, HttpCode, Inject, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AggregateStore } from '../../../libs/event-store/aggregate-store.js';
import {
  workspacePermissionsDecider,
  workspaceStreamId,
} from '../../../libs/domain/workspace/workspace-permissions.js';
import { CurrentPrincipal, Roles } from '../auth/auth.guard.js';
import type { Principal } from '../auth/tokens.js';
import { commandContextOf, writeOptionsOf } from '../http/write-request.js';
import { ContactEditingPermissionDto } from './contact-editing-permission.dto.js';

/** Managers grant agents the permission to edit contacts, per workspace (Blip Desk seed). */
@ApiTags('permissions')
@ApiBearerAuth()
@Controller('v1/permissions/contact-editing')
export class WorkspacePermissionsController {
  constructor(@Inject(AggregateStore) private readonly aggregates: AggregateStore) {}

  @Put()
  @Roles('owner', 'manager')
  @HttpCode(200)
  @ApiOperation({ summary: 'Grant (allowed: true) or withdraw (false) the contact-editing permission of agents' })
  async set(@CurrentPrincipal() principal: Principal, @Body() body: ContactEditingPermissionDto, @Req() request: FastifyRequest) {
    const result = await this.aggregates.handle(
      workspaceStreamId(principal.workspace),
      workspacePermissionsDecider,
      { type: body.allowed ? 'GrantContactEditing' : 'RevokeContactEditing', agentIds: body.agentIds },
      commandContextOf(principal, request),
      writeOptionsOf(request),
    );
    return { agentIds: [...result.state.contactEditors].sort(), version: result.version, position: result.position };
  }

  @Get()
  @Roles('owner', 'manager')
  @ApiOperation({ summary: 'The agents who may edit contacts in this workspace' })
  async list(@CurrentPrincipal() principal: Principal) {
    const { state, version } = await this.aggregates.load(workspaceStreamId(principal.workspace), workspacePermissionsDecider);
    return { agentIds: [...state.contactEditors].sort(), version };
  }
}
