// Profiling aid: the baseline with ETags off, as the platform's app has them. Express then sends a
// string body as it is rather than hashing it and sending it as a Buffer.
import express from 'express';
import { itemRoutes, listen } from './common.mjs';

const app = express();
app.set('etag', false);
app.use(express.json({ limit: '100kb' }));
itemRoutes(app);
listen(app);
