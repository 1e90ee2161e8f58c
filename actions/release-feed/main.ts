import { runAction } from "../../workflows-lib/github/action-shell.ts";
import { publishOptions, releaseFeedInputs, releaseSummary, resolveReleaseTag } from "../../workflows-lib/release/action-inputs.ts";
import { githubReleasePlatform } from "../../workflows-lib/github/release-platform.ts";
import { publishRelease } from "../../workflows-lib/release/publish-release.ts";

export async function run(): Promise<void> {
  await runAction(async (io) => {
    const inputs = io.inputs(releaseFeedInputs);
    const target = resolveReleaseTag(inputs, io.context);
    const platform = githubReleasePlatform(io.github(), { owner: io.context.owner, repo: io.context.repo });
    const result = await publishRelease(platform, { ...publishOptions(inputs, target), log: (m) => io.info(m) });
    if (result.skipped) io.notice(`Nothing to release: ${result.skipped}`, `Release ${target.tag}`);
    io.setOutput("tag", target.tag);
    io.setOutput("outcome", result.skipped ? "skipped" : (result.release?.write ?? "skipped"));
    io.setOutput("release-id", result.release?.id ?? "");
    io.setOutput("release-url", result.release?.url ?? "");
    io.setOutput("notes-source", result.notesSource ?? "");
    io.setOutput("moved-tags", result.tagMoves.filter((m) => m.move).map((m) => m.tag).join(","));
    io.setOutput("rss-url", result.feeds?.rss ?? "");
    io.setOutput("atom-url", result.feeds?.atom ?? "");
    io.setOutput("json-url", result.feeds?.json ?? "");
    await io.summary(releaseSummary(target.tag, result));
  });
}

await run();
