// Baseline: bare Express 5 with only a JSON body parser.
import express from 'express';
import { itemRoutes, listen } from './common.mjs';

const app = express();
app.use(express.json({ limit: '100kb' }));
itemRoutes(app);
listen(app);
