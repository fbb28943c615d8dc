import { expect } from 'chai';
import { setTimeout as delay } from 'node:timers/promises';
import { startChild, stopChild, type ChildService } from '../lifecycle/child-service.js';
import { get } from '../lifecycle/http-get.js';

describe('logging to a stream that breaks (a real process whose stdout reader went away)', function () {
  this.timeout(20_000);
  let child: ChildService | undefined;
  afterEach(() => stopChild(child));

  it('goes on serving, says once on stderr that lines are dropped, and still shuts down cleanly', async () => {
    child = await startChild('plain');
    await child.waitFor('service_ready');
    // The reader of its stdout goes away (a log shipper that died, `| head`): every later write is EPIPE.
    child.process.stdout!.destroy();
    for (let i = 0; i < 20; i += 1) expect((await get(`${child.url}/healthz`)).status).to.equal(200);
    await delay(200);
    expect((await get(`${child.url}/readyz`)).status).to.equal(200);
    child.process.kill('SIGTERM');
    expect(await child.exited).to.equal(0);
    const notes = child
      .output()
      .split('\n')
      .filter((line) => line.includes('log lines are dropped'));
    expect(notes).to.have.length(1);
    expect(notes[0]).to.include('EPIPE');
  });
});
