import { readFileSync } from 'node:fs';
import { createConsumerProject } from './fixtures/consumer-project.ts';
import { orgPlatform } from '../src/command/main-command.ts';
const p = createConsumerProject({ 'src/orders.ts': readFileSync(new URL('fixtures/projects/orders.ts', import.meta.url), 'utf8') });
const io = { stdout: (t: string) => process.stdout.write(t), stderr: (t: string) => process.stderr.write(t), cwd: p.dir, env: process.env };
console.log('rc', await orgPlatform(['migrate', '--to', '0.2.0'], io));
console.log(readFileSync(p.dir + '/src/orders.ts', 'utf8'));
console.log('rc', await orgPlatform(['migrate', '--to', '0.2.0'], io));
p.remove();
