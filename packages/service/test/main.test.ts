import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const serviceDir = fileURLToPath(new URL('..', import.meta.url));

describe('main (the composition root, built)', function () {
  this.timeout(20_000);

  it('starts through the lifecycle, serves the operational routes and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['dist/main.js'], {
      cwd: serviceDir,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json', ENVIRONMENT: 'local', SENTRY_DSN: '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const events: Record<string, unknown>[] = [];
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const ready = new Promise<void>((resolve, reject) => {
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          for (const line of chunk.split('\n').filter((l) => l.startsWith('{'))) {
            const entry = JSON.parse(line) as Record<string, unknown>;
            events.push(entry);
            if (entry.event === 'service_ready') resolve();
          }
        });
        void exited.then(() => reject(new Error('the service exited before it was ready')));
      });
      await ready;
      const url = String(events.find((e) => e.event === 'server_listening')?.url);
      expect((await fetch(`${url}/readyz`)).status).to.equal(200);
      expect(events.find((e) => e.event === 'auth_configured')).to.include({ mode: 'local' });
      const version = (await (await fetch(`${url}/version`)).json()) as Record<string, unknown>;
      expect(version).to.include({ service_name: 'entities-service', version: '0.1.0', environment: 'local' });
      expect((await fetch(`${url}/metrics`)).status).to.equal(200);
      child.kill('SIGTERM');
      expect(await exited).to.equal(0);
      const steps = new Set(['shutdown_started', 'server_closing', 'server_closed', 'shutdown_complete']);
      expect(events.map((e) => e.event).filter((e) => steps.has(String(e)))).to.deep.equal([...steps]);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
