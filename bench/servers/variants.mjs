// Profiling aid: bare Express plus a chosen subset of the platform's middleware (PIECES=ctx,helmet,...),
// to price each piece in CPU per request. Not part of `pnpm bench`'s budget figures.
import express from 'express';
import { accessLog, corsPolicy, createLogger, createMetrics, errorHandler, jsonBody, notFoundHandler, requestContext, securityHeaders } from '@org/platform';
import { ITEM, listen } from './common.mjs';

const pieces = new Set((process.env.PIECES ?? '').split(',').filter(Boolean));
const logger = createLogger({ service: 'bench', version: '0', environment: 'staging', format: 'json', level: 'info' });
const app = express();
if (pieces.has('ctx')) app.use(requestContext());
if (pieces.has('helmet')) app.use(securityHeaders({}));
if (pieces.has('cors')) app.use(corsPolicy({ origins: ['https://app.example.com'] }));
if (pieces.has('log')) app.use(accessLog({ logger }));
if (pieces.has('metrics')) app.use(createMetrics().middleware);
app.use(pieces.has('body') ? jsonBody({ limit: '100kb' }) : express.json({ limit: '100kb' }));
app.get('/api/v1/items', (_req, res) => res.json({ data: [ITEM], count: 1 }));
app.post('/api/v1/items', (req, res) => res.status(201).json(req.body));
if (pieces.has('errors')) {
  app.use(notFoundHandler());
  app.use(errorHandler({ logger }));
}
listen(app);
