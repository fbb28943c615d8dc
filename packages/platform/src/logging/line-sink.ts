import { processWide } from '../context/process-wide.js';

/** Where a logger's rendered lines go (each ends with a newline). @internal */
export interface LineSink {
  write(line: string): void;
  /** Hands every line written so far to the stream now. */
  flush(): void;
}

interface StreamState {
  broken: boolean;
}

// One watcher per stream, however many loggers write to it.
const states = processWide('log-stream-states', () => new WeakMap<NodeJS.WritableStream, StreamState>());

/**
 * Whether lines may still be written to `stream`. A stream that failed (stdout's reader went
 * away: EPIPE, a log shipper that died, `| head`) gets no more lines: unwatched, its error would
 * be an uncaught exception whose own log line fails again, a loop that pins the CPU. The service
 * goes on serving; one note on stderr says that its log lines are dropped from now on.
 */
function stateOf(stream: NodeJS.WritableStream): StreamState {
  let state = states().get(stream);
  if (state === undefined) {
    const created: StreamState = { broken: false };
    stream.on('error', function onLogStreamError(error: Error & { code?: string }) {
      if (created.broken) return;
      created.broken = true;
      if (stream !== process.stderr)
        process.stderr.write(
          `logger: the log stream failed (${error.code ?? error.message}); log lines are dropped from now on\n`,
        );
    });
    states().set(stream, created);
    state = created;
  }
  return state;
}

/** Each line is its own write. @internal */
export function directLines(stream: NodeJS.WritableStream): LineSink {
  const state = stateOf(stream);
  return {
    write: (line) => {
      if (!state.broken) stream.write(line);
    },
    flush: () => undefined,
  };
}

// A line of the access log is one write(2) per request without this: about a tenth of the CPU a
// request costs the process on Node 24 (profiled). Lines of one event-loop turn go out together.
const HELD_BYTES = 64 * 1024;

// Sinks holding lines, written out when the process exits (exit handlers run on process.exit()
// and after an uncaught exception; stdout is synchronous for files, pipes and TTYs on Linux).
const holding = new Set<LineSink>();
let exitHandlerInstalled = false;
function writeHeldLines(): void {
  for (const sink of holding) sink.flush();
}

/**
 * Gathers the lines written during one event-loop turn and writes them as one chunk at the
 * next turn (at once past 64 kB), so a busy server pays one write for many lines. Lines held
 * when the process exits are written by an exit handler; only a process killed outright
 * (SIGKILL, out of memory) can lose the lines of its last turn.
 * @internal
 */
export function turnBufferedLines(stream: NodeJS.WritableStream): LineSink {
  const state = stateOf(stream);
  // Each line is encoded as it comes, into bytes held outside the JavaScript heap. Held as
  // strings until the next turn, a line's pieces (a rendered line is a rope of some twenty) lived
  // through young-generation collections, which copied them, and were joined and encoded all at
  // once at the flush: 1.8–2.5 µs a request (profiled on Node 24 and 20), against 0.1–0.6 when each
  // line is encoded as it comes (bench/README.md).
  let held: Buffer | undefined; // made on the first line: a logger that never writes costs nothing
  let used = 0;
  let scheduled = false;
  const sink: LineSink = {
    write(line) {
      // At most three bytes per UTF-16 unit: a line that might not fit goes after what is held.
      if (line.length * 3 > HELD_BYTES - used) {
        sink.flush();
        if (line.length * 3 > HELD_BYTES) {
          if (!state.broken) stream.write(line);
          return;
        }
      }
      if (used === 0) holding.add(sink);
      held ??= Buffer.allocUnsafeSlow(HELD_BYTES);
      used += held.write(line, used);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flushAtNextTurn);
        if (!exitHandlerInstalled) {
          exitHandlerInstalled = true;
          process.on('exit', writeHeldLines);
        }
      }
    },
    flush() {
      if (used === 0) return;
      // A copy: the stream may keep the chunk past this call, and the held bytes are reused.
      const chunk = Buffer.from(held!.subarray(0, used));
      used = 0;
      holding.delete(sink);
      if (!state.broken) stream.write(chunk);
    },
  };
  function flushAtNextTurn(): void {
    scheduled = false;
    sink.flush();
  }
  return sink;
}
