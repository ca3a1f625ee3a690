import 'reflect-metadata';
import type { LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '../../libs/shared-kernel/config.js';
import { ApiModule } from './api.module.js';
import { requestValidationPipe } from './http/request-validation.js';

const BODY_LIMIT_BYTES = 64 * 1024;

/** Builds the API (not listening yet): the same app serves `npm start` and the end-to-end tests. */
export async function createApiApp(config: AppConfig, logLevels: LogLevel[] | false = ['log', 'warn', 'error']): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forConfig(config), adapter, {
    logger: logLevels,
    abortOnError: false,
  });
  app.useGlobalPipes(requestValidationPipe());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('contact-profiles')
      .setDescription('Event-sourced profiles of the customer contacts of an omnichannel inbox')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
