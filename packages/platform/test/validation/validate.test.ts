import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import { createServiceApp, joi, loadConfig, validate } from '../../src/index.js';
import { errorTypeId } from '../../src/validation/error-types.js';
import { captureLogger } from '../helpers.js';

interface Item { title: string; description?: string | null }

const createItem = validate({ body: joi.object<Item>({ title: joi.string().notBlank().maxChars(5).required(), description: joi.string().maxChars(10).allow(null) }) });
const listItems = validate({ query: joi.object<{ offset: number; limit: number }>({ offset: joi.number().integer().min(0).default(0), limit: joi.number().integer().min(1).max(100).default(20) }) });
const getItem = validate({ params: joi.object<{ id: string }>({ id: joi.string().guid({ version: 'uuidv4' }) }) });

function app() {
  const router = express.Router();
  router.post('/items', createItem, (req, res) => {
    const { body } = createItem.values(req);
    res.status(201).json(body);
  });
  router.get('/items', listItems, (req, res) => {
    res.json(listItems.values(req).query);
  });
  router.get('/items/:id', getItem, (req, res) => {
    res.json(getItem.values(req).params);
  });
  return createServiceApp({ config: loadConfig({ env: {}, envFile: false }), logger: captureLogger().logger, routes: router });
}

describe('validate', () => {
  it('passes validated, typed values to the handler', async () => {
    const res = await request(app()).post('/items').send({ title: 'héllo' }).expect(201);
    expect(res.body).to.deep.equal({ title: 'héllo' });
  });

  it('coerces query strings and applies defaults', async () => {
    expect((await request(app()).get('/items?limit=5').expect(200)).body).to.deep.equal({ offset: 0, limit: 5 });
  });

  it('answers 422 with one detail per failed constraint, fields without the location word', async () => {
    const res = await request(app()).get('/items?offset=-1&limit=abc').expect(422);
    expect(res.body).to.include({ error: 'VALIDATION_ERROR', code: 'VALIDATION_FAILED', message: 'Request validation failed.' });
    expect(res.body.request_id).to.equal(res.headers['x-request-id']);
    expect(res.body.details).to.deep.equal([
      { field: 'offset', message: 'offset must be greater than or equal to 0', type: 'greater_than_equal' },
      { field: 'limit', message: 'limit must be a number', type: 'int_parsing' },
    ]);
  });

  it('counts string lengths in code points, not UTF-16 units', async () => {
    await request(app()).post('/items').send({ title: '😀😀😀😀😀' }).expect(201);
    const res = await request(app()).post('/items').send({ title: '😀😀😀😀😀😀' }).expect(422);
    expect(res.body.details[0]).to.include({ field: 'title', type: 'string_too_long' });
  });

  it('rejects unknown body fields, so owner_id cannot be smuggled in', async () => {
    const res = await request(app()).post('/items').send({ title: 'ok', owner_id: 'someone-else' }).expect(422);
    expect(res.body.details).to.deep.equal([{ field: 'owner_id', message: 'owner_id is not allowed', type: 'unknown_field' }]);
  });

  it('reports missing, blank, wrongly typed and empty values with stable types', async () => {
    const cases: [unknown, string][] = [[{}, 'missing'], [{ title: '   ' }, 'string_blank'], [{ title: 5 }, 'string_type'], [{ title: '' }, 'string_too_short']];
    for (const [body, type] of cases) {
      const res = await request(app()).post('/items').send(body as object).expect(422);
      expect(res.body.details[0], JSON.stringify(body)).to.include({ field: 'title', type });
    }
  });

  it('answers a JSON body that is not an object (null, a string, an array) with 422 "expected a JSON object"', async () => {
    for (const body of ['null', '"x"', '[]', '7']) {
      const res = await request(app()).post('/items').set('Content-Type', 'application/json').send(body).expect(422);
      expect(res.body.details, body).to.deep.equal([{ field: 'body', message: 'expected a JSON object', type: 'model_attributes_type' }]);
    }
  });

  it('refuses __proto__, constructor and prototype keys as unknown fields, at any depth', async () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const res = await request(app()).post('/items').set('Content-Type', 'application/json').send(`{"title":"ok","${key}":{"polluted":true}}`).expect(422);
      expect(res.body.details, key).to.deep.equal([{ field: key, message: `${key} is not allowed`, type: 'unknown_field' }]);
    }
    const nested = await request(app()).post('/items').set('Content-Type', 'application/json').send('{"title":"ok","description":{"__proto__":{"polluted":true}}}').expect(422);
    expect(nested.body.details).to.deep.include({ field: 'description.__proto__', message: 'description.__proto__ is not allowed', type: 'unknown_field' });
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });

  it('reports a missing body as the whole body missing', async () => {
    const res = await request(app()).post('/items').expect(422);
    expect(res.body.details).to.deep.equal([{ field: 'body', message: 'body is required', type: 'missing' }]);
  });

  it('reports an invalid uuid path parameter on its field', async () => {
    const res = await request(app()).get('/items/not-a-uuid').expect(422);
    expect(res.body.details).to.deep.equal([{ field: 'id', message: 'id must be a valid GUID', type: 'uuid_parsing' }]);
  });

  it('exposes its schemas for documentation generators', () => {
    expect(createItem.schemas.body).to.not.equal(undefined);
  });

  it('refuses to read values for a request it did not validate', () => {
    expect(() => createItem.values({} as express.Request)).to.throw(/before the validation middleware ran/);
  });
});

describe('errorTypeId', () => {
  it('maps Joi types to stable ids and falls back to a snake_case form', () => {
    expect(errorTypeId('number.max')).to.equal('less_than_equal');
    expect(errorTypeId('string.alphanum')).to.equal('string_alphanum');
  });
});
