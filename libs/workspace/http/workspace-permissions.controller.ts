import { Body, Controller, Get, HttpCode, Inject, Put, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { WorkspacePermissions } from '../workspace-permissions.service.js';
import { CurrentPrincipal, Roles } from '../../auth/auth.guard.js';
import type { Principal } from '../../auth/tokens.js';
import { commandContextOf } from '../../http/write-request.js';
import { ContactEditingPermissionDto } from './contact-editing-permission.dto.js';
import { ApiAnswers, WriteHeaders } from '../../http/openapi/api-answers.js';
import { ContactEditorsSchema, ContactEditorsWrittenSchema, type ContactEditors, type ContactEditorsWritten } from './permission-answers.js';

/** Managers grant agents the permission to edit contacts, per workspace (Blip Desk seed). */
@ApiTags('permissions')
@Controller('v1/permissions/contact-editing')
export class WorkspacePermissionsController {
  constructor(@Inject(WorkspacePermissions) private readonly permissions: WorkspacePermissions) {}

  @Put()
  @Roles('owner', 'manager')
  @HttpCode(200)
  @WriteHeaders()
  @ApiOperation({ summary: 'Grant (allowed: true) or withdraw (false) the contact-editing permission of agents' })
  @ApiAnswers({ 200: { description: 'The agents who may edit contacts now', schema: ContactEditorsWrittenSchema } }, { errors: [409] })
  set(@CurrentPrincipal() principal: Principal, @Body() body: ContactEditingPermissionDto, @Req() request: FastifyRequest): Promise<ContactEditorsWritten> {
    return this.permissions.setContactEditing(commandContextOf(principal, request), body.agentIds, body.allowed);
  }

  @Get()
  @Roles('owner', 'manager')
  @ApiOperation({ summary: 'The agents who may edit contacts in this workspace' })
  @ApiAnswers({ 200: { description: 'The agents who may edit contacts', schema: ContactEditorsSchema } })
  list(@CurrentPrincipal() principal: Principal): Promise<ContactEditors> {
    return this.permissions.contactEditors(principal);
  }
}
