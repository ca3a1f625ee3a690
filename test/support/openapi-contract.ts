import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';

type Json = Record<string, any>;

/** Paths the server answers that are no operation of the API: the document itself and its UI. */
const OUTSIDE_THE_API = /^\/docs(?:[/-]|$)/;

/**
 * Checks each response against the OpenAPI document the server serves: the operation exists,
 * it documents the status and the content type, and the body matches the schema. Object
 * schemas are closed here (`additionalProperties: false` where the document says nothing), so
 * an undocumented property fails too; the published document stays open for additive change.
 */
export class OpenApiContract {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly operations: Array<{ pattern: RegExp; template: string; item: Json }>;

  constructor(document: Json) {
    addFormats.default(this.ajv);
    this.ajv.addSchema(closeObjectSchemas(structuredClone(document)), 'openapi.json');
    this.operations = Object.entries(document.paths as Json).map(([template, item]) => ({ template, item, pattern: patternOf(template) }));
  }

  /** Throws an error that says what the document lacks or what in the body does not match it. */
  check(method: string, url: string, response: { status: number; contentType: string | null; body: string }): void {
    const { pathname } = new URL(url, 'http://api');
    if (OUTSIDE_THE_API.test(pathname)) return;
    const name = `${method.toUpperCase()} ${pathname} → ${response.status}`;
    const match = this.operations.find((operation) => operation.pattern.test(pathname) && operation.item[method.toLowerCase()]);
    if (!match) {
      if (response.status === 404 || response.status === 405) return; // no such route: answered like any unknown path
      throw new ContractError(`${name}: no operation in the OpenAPI document for ${method.toUpperCase()} ${pathname}`);
    }
    const pointer = `#/paths/${escape(match.template)}/${method.toLowerCase()}/responses`;
    const responses = match.item[method.toLowerCase()].responses as Json;
    const documented = responses[String(response.status)] ?? responses[`${String(response.status)[0]}XX`] ?? responses.default;
    if (!documented) {
      throw new ContractError(`${name}: the operation documents no ${response.status} response (it documents ${Object.keys(responses).join(', ')}). ${HOW_TO}`);
    }
    const status = responses[String(response.status)] ? String(response.status) : responses[`${String(response.status)[0]}XX`] ? `${String(response.status)[0]}XX` : 'default';
    if (response.body === '') return;
    const contentType = (response.contentType ?? '').split(';')[0]!.trim();
    const content = documented.content as Json | undefined;
    if (!content?.[contentType]) {
      throw new ContractError(`${name}: a ${contentType || 'body without content type'} body, but the response documents ${content ? Object.keys(content).join(', ') : 'no body'}. ${HOW_TO}`);
    }
    if (!content[contentType].schema) return;
    const validate = this.validatorOf(`${pointer}/${escape(status)}/content/${escape(contentType)}/schema`);
    for (const value of bodiesOf(contentType, response.body)) {
      if (!validate(value)) {
        const problems = (validate.errors ?? []).map((error) => `${error.instancePath || '(body)'} ${error.message}${error.params && 'additionalProperty' in error.params ? ` "${error.params.additionalProperty}"` : ''}`);
        throw new ContractError(`${name}: the body does not match the documented schema:\n  ${problems.join('\n  ')}\nbody: ${JSON.stringify(value).slice(0, 2000)}`);
      }
    }
  }

  private validatorOf(ref: string): ValidateFunction {
    let validate = this.validators.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `openapi.json${ref}` });
      this.validators.set(ref, validate);
    }
    return validate;
  }
}

export class ContractError extends Error {
  override name = 'OpenApiContractError';
}

const HOW_TO = 'Document it with @ApiAnswers (README, "Documenting an endpoint").';

function bodiesOf(contentType: string, body: string): unknown[] {
  if (contentType === 'application/json') return [JSON.parse(body)];
  if (contentType === 'application/x-ndjson') return body.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line));
  return [body];
}

function patternOf(template: string): RegExp {
  const source = template.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+');
  return new RegExp(`^${source}$`);
}

/** JSON Pointer escaping of one reference token, then URI escaping for use in a `$ref`. */
function escape(token: string): string {
  return encodeURIComponent(token.replaceAll('~', '~0').replaceAll('/', '~1'));
}

function closeObjectSchemas(node: unknown): any {
  if (Array.isArray(node)) return node.map(closeObjectSchemas);
  if (typeof node !== 'object' || node === null) return node;
  const object = node as Json;
  for (const [key, value] of Object.entries(object)) {
    if (key === 'properties' || key === 'patternProperties') {
      for (const name of Object.keys(value)) value[name] = closeObjectSchemas(value[name]);
    } else {
      object[key] = closeObjectSchemas(value);
    }
  }
  if (object.type === 'object' && object.properties && object.additionalProperties === undefined && object.patternProperties === undefined) {
    object.additionalProperties = false;
  }
  return object;
}
