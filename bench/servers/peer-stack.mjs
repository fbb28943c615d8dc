// The stack a team would assemble by hand instead of the platform, around the same two routes:
// Express 5 + helmet (its defaults) + cors (an allow-list) + pino-http (a JSON line per request,
// to stdout: /dev/null here) + express-prom-bundle (request duration by method, path and status,
// and GET /metrics) + express.json. What the platform pipeline is compared with in section (a).
import cors from 'cors';
import express from 'express';
import promBundle from 'express-prom-bundle';
import helmet from 'helmet';
import pino from 'pino';
import { pinoHttp } from 'pino-http';
import { itemRoutes, listen } from './common.mjs';

const app = express();
app.disable('x-powered-by');
app.use(helmet());
app.use(cors({ origin: ['https://app.example.com'], exposedHeaders: ['X-Request-ID'] }));
app.use(pinoHttp({ logger: pino({ level: 'info' }) }));
app.use(promBundle({ includeMethod: true, includePath: true, includeStatusCode: true }));
app.use(express.json({ limit: '100kb' }));
itemRoutes(app);
listen(app);
