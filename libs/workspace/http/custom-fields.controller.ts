import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiAnswers, WriteHeaders } from '../../http/openapi/api-answers.js';
import type { FastifyRequest } from 'fastify';
import { CurrentPrincipal, Roles } from '../../auth/auth.guard.js';
import type { Principal } from '../../auth/tokens.js';
import { commandContextOf } from '../../http/write-request.js';
import { WorkspaceCustomFields } from '../custom-fields.service.js';
import { DefineCustomFieldDto } from './custom-field.dto.js';
import {
  CustomFieldArchivedSchema,
  CustomFieldDefinedSchema,
  CustomFieldListSchema,
  type CustomFieldArchivedAnswer,
  type CustomFieldDefinedAnswer,
  type CustomFieldList,
} from './custom-field-answers.js';

/** Workspace-defined custom fields (respond.io, Engage), kept in the `workspace-<id>` stream. */
@ApiTags('custom fields')
@Controller('v1/custom-fields')
export class CustomFieldsController {
  constructor(@Inject(WorkspaceCustomFields) private readonly customFields: WorkspaceCustomFields) {}

  @Post()
  @Roles('owner', 'manager')
  @ApiOperation({ summary: 'Define a custom field: 422 for a bad name, label, type or options, 409 when the name is taken' })
  @WriteHeaders()
  @ApiAnswers({ 201: { description: 'The field as defined, with the workspace stream version and the position', schema: CustomFieldDefinedSchema } }, { errors: [409, 422] })
  async define(@CurrentPrincipal() principal: Principal, @Body() body: DefineCustomFieldDto, @Req() request: FastifyRequest): Promise<CustomFieldDefinedAnswer> {
    const { name, label, type, options, visibleToCustomer } = body;
    return this.customFields.define(commandContextOf(principal, request), { type: 'DefineCustomField', name, label, fieldType: type, options, visibleToCustomer });
  }

  @Get()
  @ApiOperation({ summary: "The workspace's custom fields (archived ones left out), in the order they were defined" })
  @ApiAnswers({ 200: { description: "The workspace's active custom fields", schema: CustomFieldListSchema } })
  async list(@CurrentPrincipal() principal: Principal): Promise<CustomFieldList> {
    return { items: await this.customFields.active(principal) };
  }

  @Delete(':name')
  @Roles('owner', 'manager')
  @HttpCode(200)
  @ApiOperation({ summary: 'Archive a custom field: its values leave contact views, its history stays, its name stays taken' })
  @WriteHeaders()
  @ApiParam({ name: 'name', description: 'The technical name of the field' })
  @ApiAnswers({ 200: { description: 'The field is archived (also when it already was)', schema: CustomFieldArchivedSchema } }, { errors: [404, 409] })
  async archive(@CurrentPrincipal() principal: Principal, @Param('name') name: string, @Req() request: FastifyRequest): Promise<CustomFieldArchivedAnswer> {
    return { name, archived: true as const, ...(await this.customFields.archive(commandContextOf(principal, request), name)) };
  }
}
