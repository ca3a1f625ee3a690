import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from './config.js';

const dataDir = mkdtempSync(join(tmpdir(), 'config-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the read-model database', () => {
  const databaseOf = (env: Record<string, string>) => loadConfig({ DATA_DIR: dataDir, ...env }).mongodbDatabase;

  it('is the one MONGODB_URI names in its path, as every MongoDB client reads it', () => {
    expect(databaseOf({ MONGODB_URI: 'mongodb://host/tenant_a' })).toBe('tenant_a');
    expect(databaseOf({ MONGODB_URI: 'mongodb://a:27017,b:27017/tenant_b?replicaSet=rs0&authSource=admin' })).toBe('tenant_b');
    expect(databaseOf({ MONGODB_URI: 'mongodb+srv://user:secret@cluster.example.com/tenant%5Fc' })).toBe('tenant_c');
  });

  it('is MONGODB_DATABASE when set, whatever the URI names', () => {
    expect(databaseOf({ MONGODB_URI: 'mongodb://host/tenant_a', MONGODB_DATABASE: 'override' })).toBe('override');
  });

  it('is contact_profiles when neither names one', () => {
    expect(databaseOf({ MONGODB_URI: 'mongodb://host/' })).toBe('contact_profiles');
    expect(databaseOf({ MONGODB_URI: 'mongodb://host' })).toBe('contact_profiles');
    expect(databaseOf({})).toBe('contact_profiles');
  });

  it('refuses a MONGODB_URI that is not a MongoDB connection string', () => {
    expect(() => databaseOf({ MONGODB_URI: 'http://host/db' })).toThrow(/MONGODB_URI is not a MongoDB connection string/);
  });
});
