import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../../src/index.js';
import { turnBufferedLines } from '../../src/logging/line-sink.js';

/** A stream that records each write it gets, as one string per write. */
function recordingStream(): { stream: Writable; writes: string[] } {
  const writes: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      writes.push(chunk.toString('utf8'));
      done();
    },
  });
  return { stream, writes };
}

const packageDir = fileURLToPath(new URL('../..', import.meta.url));

describe('lines buffered per event-loop turn', () => {
  it('writes the lines of one turn as one chunk at the next turn, in order', async () => {
    const { stream, writes } = recordingStream();
    const sink = turnBufferedLines(stream);
    sink.write('one\n');
    sink.write('two\n');
    expect(writes).to.deep.equal([]);
    await nextTurn();
    expect(writes).to.deep.equal(['one\ntwo\n']);
    sink.write('three\n');
    await nextTurn();
    expect(writes).to.deep.equal(['one\ntwo\n', 'three\n']);
  });

  it('writes at once when asked, and past 64 kB', async () => {
    const { stream, writes } = recordingStream();
    const sink = turnBufferedLines(stream);
    sink.write('held\n');
    sink.flush();
    expect(writes).to.deep.equal(['held\n']);
    const big = `${'x'.repeat(70_000)}\n`;
    sink.write(big);
    expect(writes).to.deep.equal(['held\n', big]);
    await nextTurn();
    expect(writes).to.have.length(2);
  });

  it('keeps every line whole and every character intact, also when a turn holds more than 64 kB', async () => {
    // Keeps the chunks it was given and reads them only at the end, as a slow stream would.
    const chunks: Buffer[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
    });
    const sink = turnBufferedLines(stream);
    // Two-, three- and four-byte UTF-8 characters: 1,000 lines of about 150 bytes, over two turns.
    const lines = Array.from({ length: 1000 }, (_, i) => `{"i":${i},"name":"${'é€😀'.repeat(15)}"}\n`);
    for (const line of lines.slice(0, 600)) sink.write(line);
    await nextTurn();
    for (const line of lines.slice(600)) sink.write(line);
    await nextTurn();
    const writes = chunks.map((chunk) => chunk.toString('utf8'));
    expect(writes.length).to.be.greaterThan(2);
    expect(writes.every((chunk) => chunk.endsWith('\n'))).to.equal(true);
    expect(writes.join('')).to.equal(lines.join(''));
  });

  it('is what a JSON logger asked to buffer does, and logger.flush() writes what it holds', async () => {
    const { stream, writes } = recordingStream();
    const logger = createLogger({ service: 's', version: '1', environment: 'test', stream, bufferLines: true });
    logger.info('first');
    logger.child({ part: 'c' }).warn('second');
    expect(writes).to.deep.equal([]);
    await logger.flush();
    expect(writes).to.have.length(1);
    expect(
      writes[0]!
        .trimEnd()
        .split('\n')
        .map((line) => (JSON.parse(line) as { event: string }).event),
    ).to.deep.equal(['first', 'second']);
  });

  it('leaves loggers with their own stream, and console loggers, writing each line at once', () => {
    for (const format of ['json', 'console'] as const) {
      const { stream, writes } = recordingStream();
      createLogger({ service: 's', version: '1', environment: 'test', stream, format }).info('now');
      expect(writes, format).to.have.length(1);
    }
  });

  it('writes the lines held on stdout when the process exits, also after an uncaught exception', function () {
    this.timeout(30_000);
    // A real process on the built package (run `pnpm run build` first): stdout is a pipe here.
    for (const [ending, code] of [
      ['process.exit(3)', 3],
      ["throw new Error('boom')", 1],
    ] as const) {
      const script = `import { createLogger } from '@org/platform';
        const logger = createLogger({ service: 's', version: '1', environment: 'test' });
        for (let i = 0; i < 3; i++) logger.info('held_line', { i });
        ${ending};`;
      const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: packageDir,
        encoding: 'utf8',
        env: { PATH: process.env.PATH },
      });
      expect(child.status, child.stderr).to.equal(code);
      const events = child.stdout
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as { event: string; i: number });
      expect(
        events.map((entry) => entry.i),
        ending,
      ).to.deep.equal([0, 1, 2]);
    }
  });
});
