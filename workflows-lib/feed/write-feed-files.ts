import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { FEED_FILES, type FeedFiles } from "./model.ts";

/**
 * Writes rss.xml, atom.xml and feed.json into `dir`. Each file is written beside its target under a temporary
 * name and renamed into place only after all three are complete, so a reader (or a failed run) never sees a
 * truncated feed. Returns the paths written.
 */
export async function writeFeedFiles(dir: string, files: FeedFiles): Promise<{ rss: string; atom: string; json: string }> {
  await mkdir(dir, { recursive: true });
  const suffix = `.tmp-${process.pid}-${Date.now()}`;
  const targets = {
    rss: join(dir, FEED_FILES.rss),
    atom: join(dir, FEED_FILES.atom),
    json: join(dir, FEED_FILES.json),
  };
  const keys = ["rss", "atom", "json"] as const;
  try {
    for (const key of keys) await writeFile(targets[key] + suffix, files[key]);
    for (const key of keys) await rename(targets[key] + suffix, targets[key]);
  } catch (error) {
    await Promise.all(keys.map((key) => rm(targets[key] + suffix, { force: true })));
    throw error;
  }
  return targets;
}
