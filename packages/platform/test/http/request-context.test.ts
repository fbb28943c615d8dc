import { expect } from 'chai';
import express from 'express';
import { once } from 'node:events';
import request from 'supertest';
import { contextOf, requestContext } from '../../src/http/request-context.js';
import { onResponseClosed } from '../../src/http/response-closed.js';
import type { RequestContext } from '../../src/context/request-context.js';

describe('the request context beside the response', () => {
  it('is there for every close listener, and let go of once they have run', async () => {
    const seen: { atClose?: RequestContext; afterClose?: RequestContext | 'unread' } = { afterClose: 'unread' };
    let closed!: Promise<unknown>;
    const app = express()
      .use(requestContext())
      .get('/thing', (_req, res) => {
        // Added after the context's own release, as the access log's and the metrics' are.
        onResponseClosed(res, () => {
          seen.atClose = contextOf(res);
        });
        closed = once(res, 'close').then(() => {
          seen.afterClose = contextOf(res);
        });
        res.json({ ok: true });
      });
    const res = await request(app).get('/thing').expect(200);
    await closed;
    expect(seen.atClose?.requestId).to.equal(res.headers['x-request-id']);
    expect(seen.afterClose).to.equal(undefined);
  });
});
