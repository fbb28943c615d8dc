// The floors of @org/platform-cli, checked by `npm test` (dependency-cruiser; see README.md,
// "How the code is laid out"). From the ground up: what every subcommand shares, the codemod
// engine, the codemods and their manifest, the subcommands, the dispatcher, and the bin on top.
import { cruiseOptions, file, floorRules, folder } from '../../scripts/import-floors.mjs';

const src = (name) => folder('src', name);

/** @type {import('../../scripts/import-floors.mjs').Floor[]} */
export const FLOORS = [
  {
    name: 'shared',
    pieces: [
      src('command'), // the subcommand contract: exit codes, io, usage errors, how a subcommand runs
      src('consumer'), // a consumer project: its manifest, package manager, child processes
      src('release'), // the release this CLI carries, and the breaking positions of a version
    ],
  },
  { name: 'codemod engine', pieces: [src('codemod')] }, // loads a project, runs migrations, formats, reports
  {
    name: 'codemods',
    pieces: [
      folder('migrations', 'route-declaration'),
      folder('migrations', 'subpath-imports'),
      folder('migrations', 'app-lifecycle'),
      folder('migrations', 'error-registries'),
    ],
  }, // one folder per migration
  { name: 'manifest', pieces: [file('migrations', 'manifest.ts')] }, // which release needs which codemod
  { name: 'subcommands', pieces: [src('fleet'), src('migrate'), src('upgrade'), src('conformance')] },
  { name: 'dispatcher', pieces: [src('dispatcher')] }, // picks the subcommand by its name
  { name: 'entry', pieces: [file('src', 'main.ts')] }, // the bin: process io, exit code
];

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: floorRules(FLOORS, { severity: 'error' }),
  options: cruiseOptions('tsconfig.json'),
};
