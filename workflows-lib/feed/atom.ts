import { rfc3339 } from "./dates.ts";
import type { Feed } from "./model.ts";
import { element, emptyElement } from "./xml.ts";

/**
 * Atom 1.0, shaped like GitHub's own releases.atom (same feed and entry ids, links, title, `content
 * type="html"`, author name) so a reader that moves from GitHub's feed to this one sees no duplicates. Adds
 * what GitHub's lacks: `published`, author `uri`, a prerelease category and a feed-level author (required when
 * an entry could lack one). Like GitHub's, each entry carries the author's avatar as `media:thumbnail`.
 */
export function renderAtom(feed: Feed): string {
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/" xml:lang="${feed.language}">`,
    `  ${element("id", feed.id)}`,
    `  ${emptyElement("link", { type: "text/html", rel: "alternate", href: feed.homeUrl })}`,
  ];
  if (feed.selfUrls) {
    lines.push(`  ${emptyElement("link", { type: "application/atom+xml", rel: "self", href: feed.selfUrls.atom })}`);
  }
  lines.push(
    `  ${element("title", feed.title)}`,
    `  ${element("subtitle", feed.description)}`,
    `  ${element("updated", rfc3339(feed.updated))}`,
    `  ${element("generator", "alchkit")}`,
    `  <author>`,
    `    ${element("name", feed.repository.fullName)}`,
    `    ${element("uri", feed.repository.url)}`,
    `  </author>`,
  );
  for (const entry of feed.entries) {
    lines.push(
      `  <entry>`,
      `    ${element("id", entry.id)}`,
      `    ${element("updated", rfc3339(entry.updated))}`,
      `    ${element("published", rfc3339(entry.published))}`,
      `    ${emptyElement("link", { rel: "alternate", type: "text/html", href: entry.url })}`,
      `    ${element("title", entry.title)}`,
      ...(entry.prerelease ? [`    ${emptyElement("category", { term: "prerelease", label: "Pre-release" })}`] : []),
      `    ${element("summary", entry.summary)}`,
      `    ${element("content", entry.contentHtml, { type: "html" })}`,
      `    <author>`,
      `      ${element("name", entry.author.login)}`,
      `      ${element("uri", entry.author.url)}`,
      `    </author>`,
      ...(entry.author.avatarUrl ? [`    ${emptyElement("media:thumbnail", { height: "30", width: "30", url: thumbnail(entry.author.avatarUrl) })}`] : []),
      `  </entry>`,
    );
  }
  lines.push(`</feed>`, ``);
  return lines.join("\n");
}

/** GitHub's feed shows 30px avatars fetched at 60px (for high-density screens). */
function thumbnail(avatarUrl: string): string {
  try {
    const url = new URL(avatarUrl);
    url.searchParams.set("s", "60");
    return url.href;
  } catch {
    return avatarUrl;
  }
}
