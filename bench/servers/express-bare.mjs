// Baseline: bare Express 5 with only a JSON body parser.
import express from 'express';
import { ITEM, listen } from './common.mjs';

const app = express();
app.use(express.json({ limit: '100kb' }));
app.get('/api/v1/items', (_req, res) => res.json({ data: [ITEM], count: 1 }));
app.post('/api/v1/items', (req, res) => res.status(201).json(req.body));
listen(app);
