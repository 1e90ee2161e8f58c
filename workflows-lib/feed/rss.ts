import { rfc822 } from "./dates.ts";
import type { Feed } from "./model.ts";
import { element, emptyElement } from "./xml.ts";

/**
 * RSS 2.0. `author` must be an e-mail address, so it carries GitHub's no-reply address with the login as the
 * name part (`noreply@github.com (octocat)`), which validators accept and readers show as the login. The full
 * HTML goes into `content:encoded`, a plain-text summary into `description`. `guid` is the stable tag URI,
 * not a permalink; `link` is the release page.
 */
export function renderRss(feed: Feed): string {
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/">`,
    `  <channel>`,
    `    ${element("title", feed.title)}`,
    `    ${element("link", feed.homeUrl)}`,
    `    ${element("description", feed.description)}`,
    `    ${element("language", feed.language)}`,
    `    ${element("lastBuildDate", rfc822(feed.updated))}`,
    `    ${element("generator", "alchkit")}`,
    `    ${element("docs", "https://www.rssboard.org/rss-specification")}`,
  ];
  if (feed.selfUrls) {
    lines.push(`    ${emptyElement("atom:link", { href: feed.selfUrls.rss, rel: "self", type: "application/rss+xml" })}`);
  }
  for (const entry of feed.entries) {
    lines.push(
      `    <item>`,
      `      ${element("title", entry.title)}`,
      `      ${element("link", entry.url)}`,
      `      ${element("guid", entry.id, { isPermaLink: "false" })}`,
      `      ${element("pubDate", rfc822(entry.published))}`,
      `      ${element("author", `noreply@github.com (${entry.author.login})`)}`,
      ...(entry.prerelease ? [`      ${element("category", "prerelease")}`] : []),
      `      ${element("description", entry.summary)}`,
      `      ${element("content:encoded", entry.contentHtml)}`,
      `    </item>`,
    );
  }
  lines.push(`  </channel>`, `</rss>`, ``);
  return lines.join("\n");
}
