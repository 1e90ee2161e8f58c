// `alchkit feed --releases FILE`: three feeds from a file of REST release objects; bad input exits 2 naming the
// input and leaves existing feeds as they were.
import assert from "node:assert/strict";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { XMLValidator } from "fast-xml-parser";
import { commands } from "../../../workflows-lib/cli/commands/index.ts";
import { runCli } from "../../../workflows-lib/cli/run-cli.ts";
import { alchkit } from "../../support/cli.ts";
import { release } from "../../unit/feed/release-fixtures.ts";

describe("alchkit feed --releases", () => {
  let dir: string;
  const cli = async (...argv: string[]) => {
    let stdout = "";
    let stderr = "";
    const code = await runCli(commands, ["feed", ...argv], { cwd: dir, env: {}, isTTY: false, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) }, "test");
    return { code, stdout, stderr };
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "feed-cli-"));
    await writeFile(
      join(dir, "releases.json"),
      JSON.stringify([
        release({ tag_name: "v1.0.0", published_at: "2024-01-01T00:00:00Z", id: 1 }),
        release({ tag_name: "v1.1.0", published_at: "2024-02-01T00:00:00Z", id: 2 }),
        release({ tag_name: "v2.0.0", draft: true, published_at: null, id: 3 }),
      ]),
    );
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("writes rss.xml, atom.xml and feed.json; ids match GitHub's with --repository-id", async () => {
    const run = await cli("--releases", "releases.json", "--out", "site/feeds", "--site-url", "https://octo.github.io/app/feeds/", "--repository-id", "99");
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout).entries, 2);
    assert.deepEqual((await readdir(join(dir, "site/feeds"))).sort(), ["atom.xml", "feed.json", "rss.xml"]);
    const atom = await readFile(join(dir, "site/feeds/atom.xml"), "utf8");
    assert.equal(XMLValidator.validate(atom), true);
    assert.equal(XMLValidator.validate(await readFile(join(dir, "site/feeds/rss.xml"), "utf8")), true);
    assert.match(atom, /<id>tag:github\.com,2008:Repository\/99\/v1\.1\.0<\/id>/);
    assert.match(atom, /href="https:\/\/octo\.github\.io\/app\/feeds\/atom\.xml"/);
    assert.equal(JSON.parse(await readFile(join(dir, "site/feeds/feed.json"), "utf8")).items.length, 2);
  });

  it("bad input exits 2 with one message naming the input, and leaves the feeds as they were", async () => {
    const before = await readFile(join(dir, "site/feeds/rss.xml"), "utf8");
    await writeFile(join(dir, "broken.json"), "[{");
    await writeFile(join(dir, "wrong.json"), JSON.stringify([{ ...release({ tag_name: "v3.0.0" }), published_at: "yesterday" }]));
    await writeFile(join(dir, "mixed.json"), JSON.stringify([release({ tag_name: "v1" }), release({ tag_name: "v2", html_url: "https://github.com/other/repo/releases/tag/v2" })]));
    const cases: [string[], RegExp][] = [
      [["--releases", "missing.json"], /^alchkit feed: --releases: expected a readable JSON file \(missing\.json: ENOENT\)\n$/],
      [["--releases", "broken.json"], /^alchkit feed: --releases: expected a JSON array of GitHub release objects/],
      [["--releases", "wrong.json"], /^alchkit feed: --releases\.0\.published_at: /],
      [["--releases", "mixed.json"], /--releases: expected releases of one repository \(octo\/app\)/],
      [["--releases", "releases.json", "--repo", "octo/app"], /--releases\/--repo: expected exactly one of/],
      [["--repo", "not a repo"], /--repo: expected OWNER\/NAME/],
      [["--releases", "releases.json", "--limit", "0"], /--limit: expected a positive whole number/],
      [["--releases", "releases.json", "--site-url", "ftp://x"], /--site-url: expected an http\(s\) URL/],
    ];
    for (const [args, message] of cases) {
      const run = await cli(...args, "--out", "site/feeds");
      assert.equal(run.code, 2, args.join(" "));
      assert.match(run.stderr, message, args.join(" "));
      assert.equal(run.stderr.trim().split("\n").length, 1);
    }
    assert.equal(await readFile(join(dir, "site/feeds/rss.xml"), "utf8"), before);
    assert.deepEqual((await readdir(join(dir, "site/feeds"))).sort(), ["atom.xml", "feed.json", "rss.xml"], "no temporary files left");
  });

  it("runs as the alchkit binary: exit code 2 from the process", () => {
    const run = alchkit(["feed", "--releases", "missing.json", "--out", "x"], { cwd: dir });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--releases: expected a readable JSON file/);
  });
});
