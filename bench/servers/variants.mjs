// Profiling aid: bare Express plus a chosen subset of the platform's middleware (PIECES=ctx,helmet,...),
// to price each piece in CPU per request. Not part of `pnpm bench`'s budget figures.
import { AsyncLocalStorage } from 'node:async_hooks';
import express from 'express';
import { createLogger, createMetrics } from '@org/platform';
import {
  accessLog,
  corsPolicy,
  errorHandler,
  jsonBody,
  notFoundHandler,
  requestContext,
  securityHeaders,
} from '@org/platform/http';
import { itemRoutes, listen } from './common.mjs';

const pieces = new Set((process.env.PIECES ?? '').split(',').filter(Boolean));
const logger = createLogger({ service: 'bench', version: '0', environment: 'staging', format: 'json', level: 'info' });
const app = express();
// noetag: no ETag (as the platform's app): Express sends a string body as it is instead of as a Buffer.
if (pieces.has('noetag')) app.set('etag', false);
// noop6: six middleware that only call next(), to price Express's own cost per layer.
if (pieces.has('noop6')) for (let i = 0; i < 6; i++) app.use((_req, _res, next) => next());
// als: only an AsyncLocalStorage scope per request, to price what Node 20 charges every promise
// and async resource once a store is in use (the request context needs one).
if (pieces.has('als')) {
  const store = new AsyncLocalStorage();
  app.use((_req, _res, next) => store.run({}, next));
}
// resprop / weakmap: one object per request kept as a property of the response, or in a WeakMap
// beside it. Under Express no two responses share a hidden class, so the property copies one
// each time (why the platform keeps its per-request state in WeakMaps).
if (pieces.has('resprop'))
  app.use((_req, res, next) => {
    res.benchState = {};
    next();
  });
const states = new WeakMap();
if (pieces.has('weakmap'))
  app.use((_req, res, next) => {
    states.set(res, {});
    next();
  });
// hdr10 / setheaders10 / hdr10direct: ten fixed headers set by ten setHeader calls, by one
// res.setHeaders(Map), or straight into Node's header store (as http/header-store.ts does), to
// price each way under Express (Node 24: about +38k, +31k and +13k instructions).
if (pieces.has('hdr10'))
  app.use((_req, res, next) => {
    for (let i = 0; i < 10; i++) res.setHeader(`X-Bench-${i}`, 'some-value');
    next();
  });
if (pieces.has('hdr10direct')) {
  const { IncomingMessage, ServerResponse } = await import('node:http');
  const sym = Object.getOwnPropertySymbols(new ServerResponse(new IncomingMessage(null))).find(
    (s) => s.description === 'kOutHeaders',
  );
  const entries = Array.from({ length: 10 }, (_, i) => [`x-bench-${i}`, [`X-Bench-${i}`, 'some-value']]);
  app.use((_req, res, next) => {
    let o = res[sym];
    if (o === null) res[sym] = o = { __proto__: null };
    for (const [k, [name, value]] of entries) o[k] = [name, value];
    next();
  });
}
if (pieces.has('setheaders10')) {
  const map = new Map(Array.from({ length: 10 }, (_, i) => [`X-Bench-${i}`, 'some-value']));
  app.use((_req, res, next) => {
    res.setHeaders(map);
    next();
  });
}
// onclose: one 'close' listener per response, as the pipeline's response-closed hook adds.
if (pieces.has('onclose'))
  app.use((_req, res, next) => {
    res.on('close', () => undefined);
    next();
  });
if (pieces.has('ctx')) app.use(requestContext());
if (pieces.has('helmet')) app.use(securityHeaders({}));
if (pieces.has('cors')) app.use(corsPolicy({ origins: ['https://app.example.com'] }));
if (pieces.has('log')) app.use(accessLog({ logger }));
// logq: the access log at warn, so no line is written: what the hook costs without its line.
if (pieces.has('logq'))
  app.use(
    accessLog({
      logger: createLogger({ service: 'bench', version: '0', environment: 'staging', format: 'json', level: 'warn' }),
    }),
  );
if (pieces.has('metrics')) app.use(createMetrics().middleware);
app.use(pieces.has('body') ? jsonBody({ limit: '100kb' }) : express.json({ limit: '100kb' }));
itemRoutes(app);
if (pieces.has('errors')) {
  app.use(notFoundHandler());
  app.use(errorHandler({ logger }));
}
listen(app);
