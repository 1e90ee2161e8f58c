/** Semantic versions as release tags use them: `v1.2.3`, `1.2.3`, `v2.0.0-rc.1` (build metadata ignored). */
export interface Version {
  major: number;
  minor: number;
  patch: number;
  /** Dot-separated pre-release identifiers; empty for a stable version. */
  prerelease: string[];
  /** The text it was parsed from (`v1.2.3`). */
  raw: string;
}

const SEMVER =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*)?$/;

export function parseVersion(text: string): Version | undefined {
  const match = SEMVER.exec(text);
  if (!match) return undefined;
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[3]),
    prerelease: match[4] ? match[4].split(".") : [],
    raw: text,
  };
}

export const isPrerelease = (version: Version): boolean => version.prerelease.length > 0;

export const formatVersion = (version: Version): string =>
  `${version.major}.${version.minor}.${version.patch}${version.prerelease.length > 0 ? `-${version.prerelease.join(".")}` : ""}`;

/** Semver precedence (§11): negative when a < b. */
export function compareVersions(a: Version, b: Version): number {
  const core = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (core !== 0) return Math.sign(core);
  // A stable version ranks above its own pre-releases.
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return a.prerelease.length === b.prerelease.length ? 0 : a.prerelease.length === 0 ? 1 : -1;
  }
  for (let i = 0; i < Math.max(a.prerelease.length, b.prerelease.length); i++) {
    const x = a.prerelease[i];
    const y = b.prerelease[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const xNum = /^\d+$/.test(x);
    const yNum = /^\d+$/.test(y);
    if (xNum && yNum) {
      const diff = Number(x) - Number(y);
      if (diff !== 0) return Math.sign(diff);
    } else if (xNum !== yNum) return xNum ? -1 : 1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** The versions among `tags` (other tag names are ignored), highest first. */
export function versionsOf(tags: Iterable<string>): Version[] {
  const versions: Version[] = [];
  for (const tag of tags) {
    const version = parseVersion(tag);
    if (version) versions.push(version);
  }
  return versions.sort((a, b) => compareVersions(b, a));
}

/**
 * The release before `version` among `tags`: the highest lower version, where a stable release skips
 * pre-releases (v1.3.0's notes cover everything since v1.2.x, not since v1.3.0-rc.2).
 */
export function previousVersion(version: Version, tags: Iterable<string>): Version | undefined {
  return versionsOf(tags).find(
    (candidate) => compareVersions(candidate, version) < 0 && (isPrerelease(version) || !isPrerelease(candidate)),
  );
}
