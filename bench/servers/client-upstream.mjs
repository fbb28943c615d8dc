// The upstream of the client benchmark: node:http answering a small JSON document, as fast as Node goes.
import { createServer } from 'node:http';
import { ITEM, listen } from './common.mjs';

const body = JSON.stringify({ data: [ITEM], count: 1 });
listen(
  createServer(function answer(req, res) {
    req.resume();
    req.once('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  }),
);
