import { compareVersions, isPrerelease, versionsOf, type Version } from "./semver.ts";

export interface FloatingTagPlan {
  /** `v1` or `v1.2`. */
  tag: string;
  move: boolean;
  /** Why it moves or stays, for logs and summaries. */
  reason: string;
}

/**
 * Which floating tags (`vX`, `vX.Y`) follow a new release. A floating tag points at the newest stable release
 * of its line, so it never moves backwards: releasing v1.2.4 after v1.3.0 moves `v1.2` but leaves `v1` on
 * v1.3.0. Pre-releases never move floating tags. `existingTags` are the repository's tag names (any).
 */
export function planFloatingTags(version: Version, existingTags: Iterable<string>, prefix = "v"): FloatingTagPlan[] {
  const lines = [
    { tag: `${prefix}${version.major}`, inLine: (v: Version) => v.major === version.major },
    { tag: `${prefix}${version.major}.${version.minor}`, inLine: (v: Version) => v.major === version.major && v.minor === version.minor },
  ];
  if (isPrerelease(version)) {
    return lines.map(({ tag }) => ({ tag, move: false, reason: `${version.raw} is a pre-release` }));
  }
  const stable = versionsOf(existingTags).filter((v) => !isPrerelease(v));
  return lines.map(({ tag, inLine }) => {
    const newer = stable.find((v) => inLine(v) && compareVersions(v, version) > 0);
    return newer
      ? { tag, move: false, reason: `${newer.raw} is newer than ${version.raw}; ${tag} stays on it` }
      : { tag, move: true, reason: `${version.raw} is the newest release of ${tag}` };
  });
}
