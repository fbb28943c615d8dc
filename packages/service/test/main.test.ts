import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalSessionToken, ensureLocalSigningKey } from '@org/platform/auth';
import { listMigrations } from '../src/db/index.js';
import { LOCAL_AUTH_DIR } from '../src/local-data.js';
import { MIGRATIONS_DIR } from './fixtures/databases.js';
import { startServiceProcess } from './fixtures/service-process.js';

describe('main (the composition root, built)', function () {
  // PGlite starts in the child process: seconds on a busy machine.
  this.timeout(60_000);
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'entities-main-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts through the lifecycle, serves the operational routes and stops cleanly on SIGTERM', async () => {
    // The zero-config store (PGlite) in a folder of this test's own; never CI's DATABASE_URL.
    const { child, url, events, exited } = await startServiceProcess(dataDir);
    try {
      const readiness = await fetch(`${url}/readyz`);
      expect(readiness.status).to.equal(200);
      expect(((await readiness.json()) as { checks: Record<string, { status: string }> }).checks.database).to.include({
        status: 'ok',
      });
      expect(events.find((e) => e.event === 'migrations_applied')).to.deep.include({
        engine: 'pglite',
        applied: listMigrations(MIGRATIONS_DIR).map((m) => m.version),
      });
      expect(events.find((e) => e.event === 'auth_configured')).to.include({ mode: 'local' });

      // The README's session: a local token (what `npm run token` prints), then create/list/get/patch/delete.
      const token = createLocalSessionToken(ensureLocalSigningKey(LOCAL_AUTH_DIR), { userId: 'user_readme' });
      const call = (method: string, path: string, body?: unknown) =>
        fetch(`${url}/api/v1/entities${path}`, {
          method,
          headers: {
            Authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      const created = await call('POST', '', { title: 'First', description: 'My first entity' });
      expect(created.status).to.equal(201);
      const entity = (await created.json()) as { id: string };
      expect(created.headers.get('location')).to.equal(`/api/v1/entities/${entity.id}`);
      expect(await (await call('GET', '?offset=0&limit=20')).json()).to.deep.include({ count: 1 });
      expect((await call('GET', `/${entity.id}`)).status).to.equal(200);
      expect(await (await call('PATCH', `/${entity.id}`, { description: null })).json()).to.include({
        title: 'First',
        description: null,
      });
      expect((await call('DELETE', `/${entity.id}`)).status).to.equal(204);
      expect((await call('GET', `/${entity.id}`)).status).to.equal(404);
      const version = (await (await fetch(`${url}/version`)).json()) as Record<string, unknown>;
      expect(version).to.include({ service_name: 'entities-service', version: '0.1.0', environment: 'local' });
      const metrics = await fetch(`${url}/metrics`);
      expect(metrics.status).to.equal(200);
      // One token for six requests: verified once, then five times from the session cache.
      const scraped = await metrics.text();
      expect(scraped).to.match(/^auth_session_cache_misses_total 1$/m);
      expect(scraped).to.match(/^auth_session_cache_hits_total 5$/m);
      child.kill('SIGTERM');
      expect(await exited).to.equal(0);
      expect(events.map((e) => e.event)).to.include('entity_store_opened');
      const steps = new Set(['shutdown_started', 'server_closing', 'server_closed', 'shutdown_complete']);
      expect(events.map((e) => e.event).filter((e) => steps.has(String(e)))).to.deep.equal([...steps]);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
