import { formatVersion, parseVersion, compareVersions, type Version } from "./semver.ts";

/**
 * The notes of one version from a CHANGELOG.md: the body under the heading that names it, up to the next heading
 * of the same or a higher level. Understands the common shapes: Keep a Changelog (`## [1.2.3] - 2024-05-01`),
 * changesets and release-please (`## 1.2.3`, `## [1.2.3](compare-url) (2024-05-01)`), `# v1.2.3`.
 * Returns undefined when no heading names the version or its section is empty.
 */
export function changelogSection(changelog: string, version: Version): string | undefined {
  const lines = changelog.replace(/\r\n?/g, "\n").split("\n");
  let start = -1;
  let level = 0;
  let fence = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    if (fence) continue;
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (!heading) continue;
    const depth = heading[1]!.length;
    if (start >= 0) {
      if (depth <= level) return trimmed(lines.slice(start, i));
      continue;
    }
    if (headingVersion(heading[2]!, version)) {
      start = i + 1;
      level = depth;
    }
  }
  return start >= 0 ? trimmed(lines.slice(start)) : undefined;
}

function headingVersion(text: string, version: Version): boolean {
  // The first version-looking word of the heading, with brackets, links and a leading "v" or "Version" peeled.
  const candidates = text.match(/v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?/g) ?? [];
  const first = candidates[0];
  if (first === undefined) return false;
  const parsed = parseVersion(first);
  return parsed !== undefined && compareVersions(parsed, version) === 0 && formatVersion(parsed) === formatVersion(version);
}

function trimmed(lines: string[]): string | undefined {
  const text = lines.join("\n").trim();
  return text === "" ? undefined : text;
}
