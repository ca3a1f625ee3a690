import { IsInt, IsOptional, IsString } from 'class-validator';
import { Type } from 'class-transformer';
import { RequestValidationError, requestValidationPipe } from './request-validation.js';

class RequiredQuery {
  @IsString()
  workspace!: string;
}

class OptionalQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  limit = 20;
}

describe('requestValidationPipe on queries', () => {
  const pipe = requestValidationPipe();
  const query = (metatype: new () => object) => ({ type: 'query' as const, metatype, data: undefined });

  it('refuses an empty query that lacks a required parameter, every time', async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      await expect(pipe.transform({}, query(RequiredQuery))).rejects.toBeInstanceOf(RequestValidationError);
    }
  });

  it('answers an empty query that passes with a fresh instance of its class, every time', async () => {
    const first = await pipe.transform({}, query(OptionalQuery));
    const second = await pipe.transform({}, query(OptionalQuery));
    expect(first).toBeInstanceOf(OptionalQuery);
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
    expect(second).toEqual(Object.assign(new OptionalQuery(), { limit: 20 }));
  });

  it('still checks a query with parameters after an empty one passed', async () => {
    await pipe.transform({}, query(OptionalQuery));
    await expect(pipe.transform({ limit: 'many' }, query(OptionalQuery))).rejects.toBeInstanceOf(RequestValidationError);
    await expect(pipe.transform({ other: '1' }, query(OptionalQuery))).rejects.toBeInstanceOf(RequestValidationError);
    await expect(pipe.transform({ limit: '5' }, query(OptionalQuery))).resolves.toMatchObject({ limit: 5 });
  });
});
