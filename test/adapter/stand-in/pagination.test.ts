import assert from "node:assert/strict";
import { test } from "node:test";
import { assertNoViolations, startGitHubStandIn } from "../../github/index.ts";
import { plainOctokit } from "./octokit.ts";

function links(header: string | undefined): Record<string, { page: string | null; perPage: string | null }> {
  const out: Record<string, { page: string | null; perPage: string | null }> = {};
  for (const part of (header ?? "").split(",")) {
    const m = /<([^>]+)>;\s*rel="(\w+)"/.exec(part);
    if (!m) continue;
    const url = new URL(m[1]!);
    out[m[2]!] = { page: url.searchParams.get("page"), perPage: url.searchParams.get("per_page") };
  }
  return out;
}

test("250 releases: per_page 100 gives three pages with GitHub's Link header, newest first", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  gh.seed.releases("octo/app", 250);
  const octokit = plainOctokit(gh);

  const first = await octokit.rest.repos.listReleases({ owner: "octo", repo: "app", per_page: 100 });
  const middle = await octokit.rest.repos.listReleases({ owner: "octo", repo: "app", per_page: 100, page: 2 });
  const last = await octokit.rest.repos.listReleases({ owner: "octo", repo: "app", per_page: 100, page: 3 });

  assert.equal(first.data.length, 100);
  assert.equal(first.data[0]!.tag_name, "v1.24.9", "newest first");
  assert.deepEqual(links(first.headers.link), { next: { page: "2", perPage: "100" }, last: { page: "3", perPage: "100" } });
  assert.deepEqual(links(middle.headers.link), {
    prev: { page: "1", perPage: "100" },
    next: { page: "3", perPage: "100" },
    last: { page: "3", perPage: "100" },
    first: { page: "1", perPage: "100" },
  });
  assert.equal(last.data.length, 50);
  assert.equal(last.data.at(-1)!.tag_name, "v1.0.0");
  assert.deepEqual(links(last.headers.link), { prev: { page: "2", perPage: "100" }, first: { page: "1", perPage: "100" } });
  assertNoViolations(gh);
});

test("octokit.paginate walks the Link header: 250 distinct releases in 3 calls", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  gh.seed.releases("octo/app", 250);
  const octokit = plainOctokit(gh);

  const all = await octokit.paginate(octokit.rest.repos.listReleases, { owner: "octo", repo: "app", per_page: 100 });

  assert.equal(all.length, 250);
  assert.equal(new Set(all.map((r) => r.id)).size, 250);
  assert.equal(gh.calls.count("repos/list-releases"), 3);
  assertNoViolations(gh);
});

test("per_page defaults to 30 and is capped at 100; a page past the end is empty", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  gh.seed.releases("octo/app", 250);
  const octokit = plainOctokit(gh);

  const byDefault = await octokit.rest.repos.listReleases({ owner: "octo", repo: "app" });
  const capped = await octokit.rest.repos.listReleases({ owner: "octo", repo: "app", per_page: 500 });
  const beyond = await octokit.rest.repos.listReleases({ owner: "octo", repo: "app", per_page: 100, page: 9 });

  assert.equal(byDefault.data.length, 30);
  assert.deepEqual(links(byDefault.headers.link).last, { page: "9", perPage: "30" });
  assert.equal(capped.data.length, 100);
  assert.deepEqual(links(capped.headers.link).last, { page: "3", perPage: "100" });
  assert.deepEqual(beyond.data, []);
  assertNoViolations(gh);
});

test("a list that fits one page has no Link header; other query parameters survive in links", async (t) => {
  const gh = await startGitHubStandIn();
  t.after(() => gh.close());
  const octokit = plainOctokit(gh);
  for (let i = 0; i < 5; i++) gh.seed.comment("octo/app", 1, `comment ${i}`);

  const one = await octokit.rest.issues.listComments({ owner: "octo", repo: "app", issue_number: 1 });
  const paged = await octokit.rest.issues.listComments({ owner: "octo", repo: "app", issue_number: 1, per_page: 2, since: "2000-01-01T00:00:00Z" });

  assert.equal(one.data.length, 5);
  assert.equal(one.headers.link, undefined);
  assert.deepEqual(
    paged.data.map((c) => c.body),
    ["comment 0", "comment 1"],
  );
  assert.match(paged.headers.link ?? "", /since=2000-01-01T00%3A00%3A00Z/);
  assert.deepEqual(links(paged.headers.link).last, { page: "3", perPage: "2" });
  assertNoViolations(gh);
});
