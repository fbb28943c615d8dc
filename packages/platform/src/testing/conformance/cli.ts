#!/usr/bin/env node
// `org-platform-conformance <url>`: the conformance kit against a running service (a staging URL),
// for CI jobs and for people. Exit 0 when conformant, 1 when a check fails, 2 on bad usage.
import { runConformanceCommand } from './command.js';

process.exitCode = await runConformanceCommand(process.argv.slice(2));
