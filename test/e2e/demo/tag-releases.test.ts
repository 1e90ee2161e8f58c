// Release objects from local git tags (what the demo's feeds step reads) and the releases file bundled for
// repositories without tags: both must be what the feed use-case accepts as GitHub REST release objects.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { feedFromSource } from "../../../workflows-lib/feed/collect.ts";
import { parseReleases, repositoryFromRelease } from "../../../workflows-lib/feed/release.ts";
import { readLocalTags, releasesFromTags, repositoryFromRemote } from "../../../workflows-lib/cli/demo/tag-releases.ts";

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function repo(): { root: string; git: (...args: string[]) => string } {
  const root = mkdtempSync(path.join(tmpdir(), "alchkit-tags-"));
  dirs.push(root);
  const git = (...args: string[]) =>
    execFileSync("git", args, {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, GIT_AUTHOR_NAME: "Ada Lovelace", GIT_AUTHOR_EMAIL: "ada@example.com", GIT_COMMITTER_NAME: "Ada Lovelace", GIT_COMMITTER_EMAIL: "ada@example.com", GIT_CONFIG_GLOBAL: "/dev/null" },
    });
  git("init", "--quiet", "--initial-branch=main");
  return { root, git };
}

test("annotated and lightweight tags become releases; a -rc tag is a pre-release", async () => {
  const { root, git } = repo();
  writeFileSync(path.join(root, "a.txt"), "a");
  git("add", ".");
  git("commit", "--quiet", "-m", "First version", "--date", "2026-01-01T10:00:00Z");
  execFileSync("git", ["tag", "-a", "v1.0.0", "-m", "Orders API", "-m", "Create and list **orders**."], {
    cwd: root,
    env: { ...process.env, GIT_COMMITTER_NAME: "Grace Hopper", GIT_COMMITTER_EMAIL: "grace@example.com", GIT_CONFIG_GLOBAL: "/dev/null" },
  });
  writeFileSync(path.join(root, "b.txt"), "b");
  git("add", ".");
  git("commit", "--quiet", "-m", "Checkout\n\nLive checkout behind a setting.");
  git("tag", "v1.1.0-rc.1");
  git("remote", "add", "origin", "git@github.com:octo/shop.git");

  const local = await readLocalTags(root);
  assert.ok(local);
  assert.equal(local.remote, "git@github.com:octo/shop.git");
  const repository = repositoryFromRemote(local.remote)!;
  assert.deepEqual(repository, { owner: "octo", name: "shop", htmlUrl: "https://github.com/octo/shop" });
  const releases = parseReleases(releasesFromTags(local.tags, repository), "tags");
  const byTag = Object.fromEntries(releases.map((r) => [r.tag_name, r]));
  assert.deepEqual(Object.keys(byTag).sort(), ["v1.0.0", "v1.1.0-rc.1"]);
  assert.equal(byTag["v1.0.0"]!.name, "v1.0.0: Orders API");
  assert.equal(byTag["v1.0.0"]!.body, "Create and list **orders**.");
  assert.equal(byTag["v1.0.0"]!.author?.login, "Grace-Hopper", "an annotated tag's tagger is its author");
  assert.equal(byTag["v1.0.0"]!.prerelease, false);
  assert.equal(byTag["v1.1.0-rc.1"]!.name, "v1.1.0-rc.1: Checkout", "a lightweight tag reads the commit message");
  assert.equal(byTag["v1.1.0-rc.1"]!.body, "Live checkout behind a setting.");
  assert.equal(byTag["v1.1.0-rc.1"]!.prerelease, true);
  assert.equal(byTag["v1.1.0-rc.1"]!.html_url, "https://github.com/octo/shop/releases/tag/v1.1.0-rc.1");
  assert.notEqual(byTag["v1.0.0"]!.id, byTag["v1.1.0-rc.1"]!.id);

  const collected = await feedFromSource({ repository: async () => repository, listReleases: async () => ({ releases, pages: 0 }) }, {});
  assert.equal(collected.feed.entries.length, 2);
  assert.match(collected.files.atom, /<title>v1\.0\.0: Orders API<\/title>/);
  assert.match(collected.files.atom, /&lt;strong&gt;orders&lt;\/strong&gt;/, "the notes are rendered from markdown");
});

test("a repository without tags has none; a folder outside git has no answer at all", async () => {
  const { root } = repo();
  assert.deepEqual(await readLocalTags(root), { tags: [] });
  const plain = mkdtempSync(path.join(tmpdir(), "alchkit-notgit-"));
  dirs.push(plain);
  assert.equal(await readLocalTags(plain), undefined);
  assert.equal(repositoryFromRemote("https://gitlab.com/octo/shop.git"), undefined);
  assert.deepEqual(repositoryFromRemote("https://github.com/octo/shop.git"), { owner: "octo", name: "shop", htmlUrl: "https://github.com/octo/shop" });
});

test("the bundled releases file is valid GitHub release objects of one repository, with a draft that stays out of the feed", async () => {
  const file = fileURLToPath(new URL("../../../workflows-lib/cli/demo/releases.json", import.meta.url));
  const releases = parseReleases(JSON.parse(readFileSync(file, "utf8")), "releases.json");
  const repository = repositoryFromRelease(releases[0]!, "releases.json");
  assert.equal(repository.htmlUrl, "https://github.com/alchkit/alchkit");
  const collected = await feedFromSource({ repository: async () => repository, listReleases: async () => ({ releases, pages: 0 }) }, {});
  assert.equal(collected.feed.entries.length, releases.filter((r) => !r.draft).length);
  assert.ok(releases.some((r) => r.draft));
  assert.doesNotMatch(collected.files.rss, /Drafts never appear/);
});
