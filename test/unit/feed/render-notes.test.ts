import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderNotes, summarize } from "../../../workflows-lib/feed/render-notes.ts";

const base = { repository: "https://github.com/octo/app", links: "https://github.com/octo/app/blob/v1.0.0/", images: "https://github.com/octo/app/raw/v1.0.0/" };

describe("release notes → safe HTML", () => {
  it("renders GitHub-flavoured markdown: tables, task lists, strikethrough, autolinks, hard line breaks, code", () => {
    const html = renderNotes("| a | b |\n|---|:-:|\n| 1 | 2 |\n\n- [x] done\n- [ ] open\n\n~~gone~~ https://example.com\nnext line\n\n```ts\nlet x = 1;\n```", base);
    assert.match(html, /<table>[\s\S]*<th>a<\/th>[\s\S]*<td align="center">2<\/td>/);
    assert.match(html, /<input type="checkbox" disabled checked \/> done/);
    assert.match(html, /<input type="checkbox" disabled \/> open/);
    assert.match(html, /<del>gone<\/del>/);
    assert.match(html, /<a href="https:\/\/example\.com\/">https:\/\/example\.com<\/a><br \/>next line/);
    assert.match(html, /<code class="language-ts">let x = 1;/);
  });
  it("removes scripts (with their code), styles, iframes, event handlers and javascript: URLs", () => {
    const html = renderNotes(
      '<script>alert("x")</script><style>p{}</style><iframe src="https://evil.example"></iframe>\n\n<img src="https://i.example/a.png" onerror="alert(1)"> <a href="javascript:alert(1)">a</a> <a href="JaVaScRiPt:alert(1)">b</a> [c](javascript:alert(1)) <svg onload="x()"></svg> <input type="text" value="x">',
      base,
    );
    assert.doesNotMatch(html, /script|alert|iframe|onerror|onload|javascript:|p\{\}|type="text"/i);
    assert.match(html, /<img src="https:\/\/i\.example\/a\.png" \/>/);
  });
  it("makes relative links absolute against the repository at the tag; keeps in-page anchors", () => {
    const html = renderNotes("[docs](docs/setup.md) [pr](/octo/app/pull/12) [top](#usage) ![logo](img/logo.png)", base);
    assert.match(html, /href="https:\/\/github\.com\/octo\/app\/blob\/v1\.0\.0\/docs\/setup\.md"/);
    assert.match(html, /href="https:\/\/github\.com\/octo\/app\/pull\/12"/);
    assert.match(html, /href="#usage"/);
    assert.match(html, /src="https:\/\/github\.com\/octo\/app\/raw\/v1\.0\.0\/img\/logo\.png"/, "images load from the raw files");
  });
  it("keeps emoji and strips characters XML forbids", () => {
    assert.equal(renderNotes("🎉 ok\u0000\u001B", base), "<p>🎉 ok</p>");
  });
});

describe("GitHub references", () => {
  it("links @logins, @org/teams and #numbers like GitHub, but not in e-mail addresses, words, code or URLs", () => {
    const html = renderNotes(
      "Thanks @octo-cat and @acme/core for #12 (see #3).\n\nMail me@example.com, C#7, `#9 @x`, https://x.example/#4 and a [link #5](https://y.example).",
      base,
    );
    assert.match(html, /<a href="https:\/\/github\.com\/octo-cat">@octo-cat<\/a>/);
    assert.match(html, /<a href="https:\/\/github\.com\/orgs\/acme\/teams\/core">@acme\/core<\/a>/);
    assert.match(html, /<a href="https:\/\/github\.com\/octo\/app\/issues\/12">#12<\/a>/);
    assert.match(html, /\(see <a href="https:\/\/github\.com\/octo\/app\/issues\/3">#3<\/a>\)/);
    assert.match(html, /<a href="mailto:me@example\.com">me@example\.com<\/a>/);
    assert.match(html, /C#7/);
    assert.match(html, /<code>#9 @x<\/code>/);
    assert.match(html, /<a href="https:\/\/x\.example\/#4">https:\/\/x\.example\/#4<\/a>/);
    assert.match(html, /<a href="https:\/\/y\.example\/">link #5<\/a>/);
  });
  it("uses the repository's host (GitHub Enterprise Server)", () => {
    const html = renderNotes("@mona #1", { repository: "https://git.example.com/octo/app", links: "https://git.example.com/octo/app/blob/v1/", images: "https://git.example.com/octo/app/raw/v1/" });
    assert.equal(html, '<p><a href="https://git.example.com/mona">@mona</a> <a href="https://git.example.com/octo/app/issues/1">#1</a></p>');
  });
});

describe("summary", () => {
  it("is plain text with words separated at block ends, cut at a word", () => {
    assert.equal(summarize("<p>one<br />two</p><ul><li>a &amp; b</li><li>c</li></ul>"), "one two a & b c");
    const long = summarize(`<p>${"word ".repeat(100)}</p>`, 50);
    assert.ok(long.length <= 50);
    assert.match(long, /word…$/);
  });
});
