import { applyDecorators, createParamDecorator, Inject, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiExtension } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ForbiddenError } from '../eventsourcing/domain-errors.js';
import type { Role } from '../eventsourcing/event-metadata.js';
import { APP_CONFIG } from '../config/config.provider.js';
import type { AppConfig } from '../config/config.js';
import { InvalidTokenError, verifyToken, type Principal } from './tokens.js';

const PUBLIC = 'auth:public';
const ROLES = 'auth:roles';

/** Marks a route that needs no token (health, docs); its OpenAPI operation has no security. */
export const Public = () => applyDecorators(SetMetadata(PUBLIC, true), ApiExtension('x-public', true));

/** Restricts a route to these roles (403 for the others); the OpenAPI operation lists them in `x-roles`. */
export const Roles = (...roles: Role[]) => applyDecorators(SetMetadata(ROLES, roles), ApiExtension('x-roles', roles));

type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

/** Every route needs a valid bearer token unless it is @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    return this.reflector.getAllAndOverride<boolean>(PUBLIC, targets) || this.verify(context, targets);
  }

  private async verify(context: ExecutionContext, targets: Function[]): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    request.principal = await verifyToken(bearerToken(request), this.config.jwtSecret);
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(request.principal.role)) {
      throw new ForbiddenError(`the ${request.principal.role} role may not do this`);
    }
    return true;
  }
}

function bearerToken(request: FastifyRequest): string {
  const header = request.headers.authorization;
  if (!header) throw new InvalidTokenError('send a bearer token in the Authorization header');
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw new InvalidTokenError('the Authorization header must be "Bearer <token>"');
  return match[1];
}

/** The verified caller of the current request. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new InvalidTokenError('no verified token on this request');
  return principal;
});
