// The full platform pipeline (request context, helmet, CORS, JSON access log, body limit, error
// handling) around the same two routes. Logs go to stdout, which the harness points at /dev/null.
import express from 'express';
import { createLogger, createServiceApp, loadConfig } from '@org/platform';
import { ITEM, listen } from './common.mjs';

const config = loadConfig({ env: { ...process.env, ENVIRONMENT: 'staging', LOG_FORMAT: 'json', LOG_LEVEL: 'info', CORS_ORIGINS: 'https://app.example.com' }, envFile: false });
const logger = createLogger({ service: 'bench', version: '0.0.0', environment: config.ENVIRONMENT, level: config.LOG_LEVEL, format: 'json' });
const router = express.Router();
router.get('/api/v1/items', (_req, res) => res.json({ data: [ITEM], count: 1 }));
router.post('/api/v1/items', (req, res) => res.status(201).json(req.body));
listen(createServiceApp({ config, logger, routes: router }));
