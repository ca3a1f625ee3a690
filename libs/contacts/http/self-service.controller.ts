import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentPrincipal, Public, Roles } from '../../auth/auth.guard.js';
import type { Principal } from '../../auth/tokens.js';
import { ApiAnswers, WriteHeaders } from '../../http/openapi/api-answers.js';
import { commandContextOf } from '../../http/write-request.js';
import { ContactId } from './contacts.controller.js';
import { IssueSelfServiceLinkDto, SelfServiceEditDto } from './dto/self-service.dto.js';
import { CustomerViewSchema, SelfServiceLinkSchema, type SelfServiceLink } from './self-service-answers.js';
import { DEFAULT_LINK_HOURS, SelfService, type CustomerView } from '../self-service/self-service.js';

const Token = () => ApiParam({ name: 'token', description: 'The token of the link (`<contactId>.<secret>`)' });

/** Customer self-service links (Engage): agents or connectors request one, the customer uses it without an account. */
@ApiTags('self-service')
@Controller('v1')
export class SelfServiceController {
  constructor(@Inject(SelfService) private readonly selfService: SelfService) {}

  @Post('contacts/:id/self-service-links')
  @Roles('agent', 'manager', 'owner', 'integration')
  @WriteHeaders()
  @ContactId()
  @ApiOperation({ summary: 'A link for the customer to see and edit their name, phone, e-mail and the custom fields shown to customers' })
  @ApiAnswers({ 201: { description: 'The link; give the customer the url', schema: SelfServiceLinkSchema } }, { errors: [404, 409] })
  async issue(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: IssueSelfServiceLinkDto, @Req() request: FastifyRequest): Promise<SelfServiceLink> {
    const link = await this.selfService.issue(commandContextOf(principal, request), id, body.expiresInHours ?? DEFAULT_LINK_HOURS);
    return { url: `${request.protocol}://${request.host}/v1/self-service/${link.token}`, ...link };
  }

  @Delete('contacts/:id/self-service-links/:token')
  @Roles('agent', 'manager', 'owner', 'integration')
  @HttpCode(204)
  @ContactId()
  @Token()
  @ApiOperation({ summary: 'Revoke a self-service link: it answers 404 from then on' })
  @ApiAnswers({ 204: { description: 'Revoked (also when it already was)' } }, { errors: [404, 409] })
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Param('token') token: string, @Req() request: FastifyRequest): Promise<void> {
    await this.selfService.revoke(commandContextOf(principal, request), id, token);
  }

  @Get('self-service/:token')
  @Public()
  @Token()
  @ApiOperation({ summary: "The customer's view (no bearer token: the link's token is the credential); expired, revoked or forged: 404" })
  @ApiAnswers({ 200: { description: "The customer's own data", schema: CustomerViewSchema } }, { errors: [404] })
  view(@Param('token') token: string): Promise<CustomerView> {
    return this.selfService.view(token);
  }

  @Patch('self-service/:token')
  @Public()
  @Token()
  @ApiOperation({ summary: 'The customer edits their data, recorded with source `customer`; locked fields and fields not shown to customers: 403' })
  @ApiAnswers({ 200: { description: "The customer's data after the edit", schema: CustomerViewSchema } }, { errors: [403, 404, 422] })
  edit(@Param('token') token: string, @Body() body: SelfServiceEditDto): Promise<CustomerView> {
    return this.selfService.edit(token, { ...body });
  }
}
