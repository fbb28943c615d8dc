// Floors, as dependency-cruiser rules. A package's source is a stack of floors, listed from the
// ground up; each floor holds pieces (a folder, or a file) named by a path pattern. A piece may
// import what lies on the floors below it, never a piece on its own floor (sideways) or above it:
// what two pieces of one floor both need moves down a floor. dependency-cruiser does the checking
// (packages/*/.dependency-cruiser.mjs hold the floors); this only writes its rules.

/**
 * @typedef {{ readonly name: string, readonly path: string, readonly pathNot?: string }} Piece
 * @typedef {{ readonly name: string, readonly pieces: readonly Piece[] }} Floor
 */

/** A folder of the package's source, as a piece of a floor. */
export const folder = (root, name, as = name) => ({ name: as, path: `^${root}/${name}/` });

/** A single file of the package's source, as a piece of a floor. */
export const file = (root, name) => ({ name, path: `^${root}/${name.replace(/\./g, '\\.')}$` });

/**
 * The forbidden rules of a stack of floors (listed from the ground up), plus no cycle between
 * modules and none between folders.
 *
 * @param {readonly Floor[]} floors
 * @param {{ severity: 'error' | 'warn' }} options
 * @example
 * floorRules([{ name: 'ground', pieces: [folder('src', 'errors')] }, { name: 'top', pieces: [file('src', 'index.ts')] }], { severity: 'error' });
 */
export function floorRules(floors, { severity }) {
  const rules = [
    {
      name: 'no-module-cycle',
      severity,
      comment: 'Modules that import each other load in an order that depends on who is imported first.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycle',
      severity,
      scope: 'folder',
      comment: 'Folders that import each other are one concern split in two, or two concerns tied together.',
      from: {},
      to: { circular: true },
    },
  ];
  floors.forEach((floor, level) => {
    const above = floors.slice(level + 1);
    for (const piece of floor.pieces) {
      const forbidden = [
        ...floor.pieces.filter((other) => other !== piece),
        ...above.flatMap((higher) => higher.pieces),
      ];
      if (forbidden.length === 0) continue;
      const ground = floors.slice(0, level).map((lower) => lower.name);
      rules.push({
        name: `floor:${piece.name}`,
        severity,
        comment: `${piece.name} is on the floor "${floor.name}": it may import ${ground.length === 0 ? 'nothing of the package outside itself' : `the floors ${ground.map((name) => `"${name}"`).join(', ')}`}, not ${forbidden.map((other) => other.name).join(', ')}`,
        from: { path: piece.path, ...(piece.pathNot === undefined ? {} : { pathNot: piece.pathNot }) },
        to: { path: forbidden.map((other) => other.path) },
      });
    }
  });
  return rules;
}

/**
 * The options every floor check shares: TypeScript sources read with their tsconfig (type-only
 * imports count: a type is a dependency too), nothing followed into node_modules.
 *
 * @param {string} tsConfig
 */
export function cruiseOptions(tsConfig) {
  return {
    tsConfig: { fileName: tsConfig },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['(^|/)dist/', '(^|/)node_modules/'] },
    enhancedResolveOptions: { extensions: ['.ts', '.mts', '.js', '.mjs', '.json'] },
  };
}
