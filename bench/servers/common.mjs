// Shared by the benchmark servers: the same two routes on every stack, and the port handshake.
export const ITEM = {
  id: '2f1c9a43-5a7e-4c1b-9a0e-3d3c1f0b6a11',
  title: 'A benchmark entity',
  description: 'x'.repeat(40),
};

/** The two routes every stack serves, defined on the app itself (a `routes` extension for the platform). */
export function itemRoutes(app) {
  app.get('/api/v1/items', (_req, res) => res.json({ data: [ITEM], count: 1 }));
  app.post('/api/v1/items', (req, res) => res.status(201).json(req.body));
}

export function listen(app) {
  const server = app.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port, pid: process.pid }));
  process.on('disconnect', () => process.exit(0));
  // The harness asks for CPU time around each run: CPU per request is far steadier than req/s on a busy machine.
  process.on('message', (message) => {
    if (message === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send?.({ cpu: user + system, rss: process.memoryUsage().rss });
    }
  });
  return server;
}
