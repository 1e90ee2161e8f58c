import { renderAtom } from "./atom.ts";
import { renderJsonFeed } from "./json-feed.ts";
import type { Feed, FeedFiles } from "./model.ts";
import { renderRss } from "./rss.ts";

/** The three documents of one feed, ready to write as rss.xml, atom.xml and feed.json. */
export function renderFeeds(feed: Feed): FeedFiles {
  return { rss: renderRss(feed), atom: renderAtom(feed), json: renderJsonFeed(feed) };
}
