#!/usr/bin/env node
// The `org-platform` bin: one command, four subcommands (fleet, migrate, upgrade, conformance).
import { processIo } from './command/io.js';
import { orgPlatform } from './dispatcher/main-command.js';

process.exitCode = await orgPlatform(process.argv.slice(2), processIo());
