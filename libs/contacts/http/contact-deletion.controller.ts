import { Controller, Delete, HttpCode, Inject, Param, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentPrincipal, Roles } from '../../auth/auth.guard.js';
import type { Principal } from '../../auth/tokens.js';
import { ApiAnswers, WriteHeaders } from '../../http/openapi/api-answers.js';
import { commandContextOf } from '../../http/write-request.js';
import { ContactDeletion } from '../contact-deletion.js';
import { ContactId } from './contacts.controller.js';

@ApiTags('contacts')
@Controller('v1/contacts')
export class ContactDeletionController {
  constructor(@Inject(ContactDeletion) private readonly deletion: ContactDeletion) {}

  @Delete(':id')
  @Roles('owner', 'manager')
  @HttpCode(204)
  @WriteHeaders()
  @ContactId()
  @ApiOperation({
    summary:
      'Delete the contact for good (crypto-shredding): its key is destroyed, so its personal values are unreadable everywhere, the log included; ' +
      'the view and search no longer have it, its history keeps who, when, which field with from/to null and erased: true',
  })
  @ApiAnswers({ 204: { description: 'Deleted; irreversible' } }, { errors: [404, 409] })
  async delete(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Req() request: FastifyRequest): Promise<void> {
    await this.deletion.delete(commandContextOf(principal, request), id);
  }
}
