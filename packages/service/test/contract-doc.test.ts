// docs/contract.md is what callers read: the /version body it lists is the one the service sends.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { createPendingRepository } from '../src/entities/index.js';
import { buildApp } from './fixtures/app.js';

const contract = readFileSync(new URL('../../../docs/contract.md', import.meta.url), 'utf8');

describe('docs/contract.md against the service', () => {
  it('lists exactly the fields of the /version body, in order', async () => {
    const listed = /`GET \/version` → 200 `\{([^}]*)\}`/.exec(contract.replace(/\n\s*/g, ''));
    expect(listed, 'the /version line of docs/contract.md').to.not.equal(null);
    const fields = [...listed![1]!.matchAll(/"([a-z_]+)"/g)].map((m) => m[1]);
    const { body } = await request(buildApp(createPendingRepository().repository).app).get('/version').expect(200);
    expect(fields).to.deep.equal(Object.keys(body as object));
  });
});
