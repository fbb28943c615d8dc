// Profiling aid: the baseline with ETags off, as the platform's app has them. Express then sends a
// string body as it is rather than hashing it and sending it as a Buffer.
import express from 'express';
import { ITEM, listen } from './common.mjs';

const app = express();
app.set('etag', false);
app.use(express.json({ limit: '100kb' }));
app.get('/api/v1/items', (_req, res) => res.json({ data: [ITEM], count: 1 }));
app.post('/api/v1/items', (req, res) => res.status(201).json(req.body));
listen(app);
