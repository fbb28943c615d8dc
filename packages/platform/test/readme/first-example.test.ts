// The README's first example is what a new team copies: it must work as written, lifecycle
// included. The README's code block and test/readme/greeter-service.ts must be the same text;
// the file is typechecked with the tests and run here as a real process, stopped by a real SIGTERM.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { startChild, type ChildService } from '../lifecycle/child-service.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const example = readFileSync(new URL('./greeter-service.ts', import.meta.url), 'utf8');

describe("the README's first example (a real process, a real signal)", function () {
  this.timeout(60_000);
  let service: ChildService | undefined;
  afterEach(() => service?.process.kill('SIGKILL'));

  it("is the README's first code block, word for word", () => {
    const block = /^## A service in [^\n]*\n+```ts\n([\s\S]*?)```$/m.exec(readme);
    expect(block, 'the section and its ts block').to.not.equal(null);
    expect(block![1]).to.equal(example);
  });

  it('serves, and on SIGTERM turns readiness 503, answers the request in flight, closes and exits 0', async () => {
    service = await startChild('test/readme/greeter-service.ts', {
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      SHUTDOWN_DELAY_MS: '1500',
    });
    await service.waitFor('service_ready');
    const hello = await fetch(`${service.url}/api/v1/greeting?name=team`);
    expect(await hello.json()).to.deep.equal({ greeting: 'hello team' });
    expect((await fetch(`${service.url}/readyz`)).status).to.equal(200);

    service.process.kill('SIGTERM');
    await service.waitFor('shutdown_started');
    // Still serving during the delay: readiness red, liveness green, requests answered.
    expect((await fetch(`${service.url}/readyz`)).status).to.equal(503);
    expect((await fetch(`${service.url}/healthz`)).status).to.equal(200);
    expect((await fetch(`${service.url}/api/v1/greeting`)).status).to.equal(200);
    const complete = await service.waitFor('shutdown_complete');
    expect(complete.exit_code).to.equal(0);
    expect(await service.exited).to.equal(0);
    const steps = service.entries
      .map((e) => e.event)
      .filter((e) => ['shutdown_started', 'server_closing', 'server_closed', 'shutdown_complete'].includes(e));
    expect(steps).to.deep.equal(['shutdown_started', 'server_closing', 'server_closed', 'shutdown_complete']);
  });
});
