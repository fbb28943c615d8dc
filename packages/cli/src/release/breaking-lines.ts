import semver from 'semver';

/**
 * The breaking line of a version: its major, or `0.minor` before 1.0, where UPGRADING.md's rules
 * apply one position to the right (0.MINOR is the breaking position, as npm's `^0.2.0` assumes).
 *
 * @example
 * breakingLine('0.2.4'); // '0.2'
 * breakingLine('1.2.0'); // '1'
 */
export function breakingLine(version: string): string {
  const parsed = semver.parse(version);
  if (parsed === null) throw new Error(`not a version: ${version}`);
  return parsed.major === 0 ? `0.${parsed.minor}` : String(parsed.major);
}

/**
 * The breaking lines between two versions (excluding the first's own): more than one means the
 * upgrade crosses several majors, which nx and this CLI recommend taking one at a time.
 *
 * @example
 * linesCrossed('0.1.3', '0.3.0', ['0.1.3', '0.2.0', '0.2.4', '0.3.0']); // ['0.2', '0.3']
 */
export function linesCrossed(from: string, to: string, published: readonly string[]): string[] {
  const lines = new Set<string>();
  for (const version of published) {
    if (semver.valid(version) === null || semver.prerelease(version) !== null) continue;
    if (semver.gt(version, from) && semver.lte(version, to) && breakingLine(version) !== breakingLine(from))
      lines.add(breakingLine(version));
  }
  if (breakingLine(to) !== breakingLine(from)) lines.add(breakingLine(to));
  return [...lines].sort((a, b) => semver.compare(semver.coerce(a)!, semver.coerce(b)!));
}

/**
 * The newest published release of a breaking line: where to stop first when crossing several.
 *
 * @example
 * newestOfLine('0.2', ['0.2.0', '0.2.4', '0.3.0']); // '0.2.4'
 */
export function newestOfLine(line: string, published: readonly string[]): string | undefined {
  return published
    .filter((v) => semver.valid(v) !== null && semver.prerelease(v) === null && breakingLine(v) === line)
    .sort(semver.rcompare)[0];
}
