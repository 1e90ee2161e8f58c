import { rfc3339 } from "./dates.ts";
import type { Feed } from "./model.ts";

/** JSON Feed 1.1 (https://jsonfeed.org/version/1.1): `authors` arrays, `language`, prerelease as a tag. */
export function renderJsonFeed(feed: Feed): string {
  const document = {
    version: "https://jsonfeed.org/version/1.1",
    title: feed.title,
    home_page_url: feed.homeUrl,
    ...(feed.selfUrls ? { feed_url: feed.selfUrls.json } : {}),
    description: feed.description,
    language: feed.language,
    items: feed.entries.map((entry) => ({
      id: entry.id,
      url: entry.url,
      title: entry.title,
      content_html: entry.contentHtml,
      summary: entry.summary,
      date_published: rfc3339(entry.published),
      date_modified: rfc3339(entry.updated),
      authors: [{ name: entry.author.login, url: entry.author.url, ...(entry.author.avatarUrl ? { avatar: entry.author.avatarUrl } : {}) }],
      ...(entry.prerelease ? { tags: ["prerelease"] } : {}),
    })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
