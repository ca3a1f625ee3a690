import { OpenApiContract } from './openapi-contract.js';

const document = {
  openapi: '3.1.0',
  paths: {
    '/v1/things/{id}': {
      get: {
        responses: {
          200: { description: 'a thing', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
          404: { description: 'none', content: { 'application/json': { schema: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] } } } },
        },
      },
    },
    '/v1/things': { delete: { responses: { 204: { description: 'gone' } } } },
  },
  components: {
    schemas: { Thing: { type: 'object', required: ['id', 'size'], properties: { id: { type: 'string' }, size: { type: ['integer', 'null'] } } } },
  },
};

describe('OpenApiContract', () => {
  const contract = new OpenApiContract(document);
  const json = (status: number, body: unknown) => ({ status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(body) });

  it('accepts a documented status whose body matches the schema', () => {
    expect(() => contract.check('GET', '/v1/things/a?x=1', json(200, { id: 'a', size: null }))).not.toThrow();
    expect(() => contract.check('DELETE', '/v1/things', { status: 204, contentType: null, body: '' })).not.toThrow();
  });

  it('refuses a status the operation does not document', () => {
    expect(() => contract.check('GET', '/v1/things/a', json(500, { message: 'boom' }))).toThrow(/documents no 500 response/);
  });

  it('refuses a body that does not match, and a property the schema does not list', () => {
    expect(() => contract.check('GET', '/v1/things/a', json(200, { id: 'a', size: '3' }))).toThrow(/\/size must be integer,null/);
    expect(() => contract.check('GET', '/v1/things/a', json(200, { id: 'a', size: 3, colour: 'red' }))).toThrow(/additional properties "colour"/);
    expect(() => contract.check('GET', '/v1/things/a', { status: 200, contentType: 'text/csv', body: 'a,b' })).toThrow(/text\/csv body/);
  });

  it('refuses an operation the document lacks, but lets unknown routes answer 404', () => {
    expect(() => contract.check('POST', '/v1/things', json(201, {}))).toThrow(/no operation/);
    expect(() => contract.check('GET', '/v1/nothing', json(404, { message: 'No such route' }))).not.toThrow();
  });
});
