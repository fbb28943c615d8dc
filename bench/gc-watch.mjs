// Preloaded (`--import`) into a server by gc-pauses.mjs: records the pause of every garbage
// collection and answers the harness over IPC. 'gc-reset' starts a new count; 'gc-report' sends
// the young-generation pauses, the full ones, the new space's size and the process's CPU time.
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';

let young = [];
let full = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries())
    (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR ? young : full).push(entry.duration);
}).observe({ entryTypes: ['gc'] });

process.on('message', (message) => {
  if (message === 'gc-reset') {
    young = [];
    full = [];
    process.send?.({ gcReset: true });
  } else if (message === 'gc-report') {
    const { user, system } = process.cpuUsage();
    const newSpace = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
    process.send?.({ gcReport: true, young, full, newSpaceBytes: newSpace?.space_size ?? 0, cpuUs: user + system });
  }
});
