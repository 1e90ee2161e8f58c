import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { changelogSection } from "../../../workflows-lib/release/changelog.ts";
import { notesFromCommits } from "../../../workflows-lib/release/commit-notes.ts";
import { parseVersion } from "../../../workflows-lib/release/semver.ts";

const v = (text: string) => parseVersion(text)!;

const keepAChangelog = `# Changelog

## [Unreleased]
- nothing yet

## [1.2.0] - 2024-05-01
### Added
- Feeds

\`\`\`md
## [1.1.0] inside a code block is not a heading
\`\`\`

## [1.1.0] - 2024-04-01
### Fixed
- Bug

[1.2.0]: https://github.com/octo/app/compare/v1.1.0...v1.2.0
`;

describe("CHANGELOG sections", () => {
  it("reads a Keep a Changelog section up to the next release heading, sub-headings included", () => {
    assert.equal(changelogSection(keepAChangelog, v("v1.2.0")), "### Added\n- Feeds\n\n```md\n## [1.1.0] inside a code block is not a heading\n```");
    assert.match(changelogSection(keepAChangelog, v("1.1.0"))!, /^### Fixed\n- Bug/);
  });
  it("reads changesets / release-please headings and v-prefixed ones", () => {
    assert.equal(changelogSection("# app\n\n## 2.0.0\n\n### Major Changes\n\n- x\n\n## 1.0.0\n- y", v("v2.0.0")), "### Major Changes\n\n- x");
    assert.equal(changelogSection("## [3.1.0](https://github.com/o/r/compare/v3.0.0...v3.1.0) (2024-06-01)\n\n* feat\n", v("v3.1.0")), "* feat");
    assert.equal(changelogSection("# v1.0.0-rc.1\nrc notes\n# v1.0.0\nfinal", v("v1.0.0-rc.1")), "rc notes");
  });
  it("returns nothing for a missing or empty section and does not confuse 1.2.0 with 1.2.0-rc.1", () => {
    assert.equal(changelogSection(keepAChangelog, v("v9.9.9")), undefined);
    assert.equal(changelogSection("## 1.0.0\n\n## 0.9.0\n- x", v("1.0.0")), undefined);
    assert.equal(changelogSection("## 1.2.0-rc.1\nrc", v("1.2.0")), undefined);
  });
});

describe("notes from commits", () => {
  it("lists subjects in order with short sha and author, skips merges, links the comparison", () => {
    const notes = notesFromCommits(
      [
        { sha: "a".repeat(40), message: "Add feeds\n\nLong body", login: "octocat" },
        { sha: "b".repeat(40), message: "Merge pull request #3 from octo/x" },
        { sha: "c".repeat(40), message: "Fix escaping" },
      ],
      { tag: "v1.1.0", previousTag: "v1.0.0", compareUrl: "https://github.com/o/r/compare/v1.0.0...v1.1.0", totalCommits: 5 },
    );
    assert.equal(
      notes,
      "## What's changed\n\n- Add feeds (aaaaaaa by @octocat)\n- Fix escaping (ccccccc)\n- …and 2 more commits\n\n**Full Changelog**: https://github.com/o/r/compare/v1.0.0...v1.1.0",
    );
  });
});
