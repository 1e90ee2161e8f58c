// The scheduled sweep as a workflow: the caller sweep.yml's header shows, run by act on the host against the
// GitHub and Cloudflare stand-ins. Leaked previews (a closed pull request, a number with no pull request) are
// destroyed, staging stays, and the stage list flows out of workflow_call.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { repoRoot } from "../../harness/run-action.ts";
import { seedWorker } from "../../support/cloudflare-seed.ts";
import { assertNoViolations as assertNoCloudflareViolations, startCloudflareStandIn, type CloudflareStandIn } from "../../cloudflare/index.ts";
import { tool } from "../../support/tools.ts";
import { CONSUMER } from "../../act/consumer-repo.ts";
import { workflowDispatchEvent } from "../../act/events.ts";
import { resultsOf } from "../../act/run-act.ts";
import { assertNoViolations, assertPassed, startActStory, type ActStory } from "../../act/story.ts";

const act = tool("act", "running the kit's workflows");

/** The caller a consumer copies: the commented example at the head of the reusable workflow. */
function documentedCaller(workflow: string): string {
  const lines = readFileSync(path.join(repoRoot, ".github/workflows", workflow), "utf8").split("\n");
  const start = lines.findIndex((line) => line.startsWith("#   "));
  const block: string[] = [];
  for (const line of lines.slice(start)) {
    if (line.startsWith("#   ")) block.push(line.slice(4));
    else if (line === "#") block.push("");
    else break;
  }
  return `name: sweep\n${block.join("\n").trim()}\n`;
}

let story: ActStory;
let cf: CloudflareStandIn;
before(async () => {
  if (act.skip) return;
  story = await startActStory(act.require());
  cf = await startCloudflareStandIn();
});
after(async () => {
  await cf?.close();
  await story?.close();
});

test("the nightly sweep destroys leaked previews and leaves staging", { skip: act.skip }, async () => {
  const { repo, gh } = story;
  const sha = repo.commit("main", "Sweep leaked previews every night", { ".github/workflows/sweep.yml": documentedCaller("sweep.yml") });
  repo.commit("feature/closed", "An experiment", { "NOTES.md": "Tried something.\n" });
  repo.pullRequest(2, "feature/closed").pull.state = "closed";
  for (const stage of ["pr-2", "pr-3", "staging"]) await seedWorker(cf, `consumer-app-api-${stage}`);
  gh.calls.reset();
  const run = await story.run("sweep.yml", await workflowDispatchEvent(gh, CONSUMER, ".github/workflows/sweep.yml", {}), sha, {
    // The header passes the previews' credentials: the stand-in account's token is that one here.
    secrets: { ...story.secrets, PREVIEW_CLOUDFLARE_API_TOKEN: cf.apiToken, CLOUDFLARE_ACCOUNT_ID: cf.accountId },
    // The runner reaches the stand-in's API; Alchemy's state is the job folder's own (empty), as with ALCHKIT_RUNTIME=local.
    env: { CLOUDFLARE_BASE_URL: cf.baseUrl, ALCHEMY_CI_STATE_STORE_CHECK: "false" },
  });
  assertPassed(run, "sweep");
  assert.deepEqual(resultsOf(run, "sweep/sweep"), ["success"]);
  assert.deepEqual(JSON.parse(run.needs.sweep?.outputs?.stages ?? "null"), ["pr-2", "pr-3"], "the swept stages flow out of workflow_call");
  assert.deepEqual(cf.inventory().workers, ["consumer-app-api-staging"]);
  assert.ok(gh.calls.all.some((c) => c.method === "GET" && c.path.includes("/pulls")), "it asked GitHub which pull requests are open");
  assert.deepEqual(gh.calls.all.filter((c) => c.method !== "GET").map((c) => c.operationId), [], "and wrote nothing there (pull-requests: read)");
  assertNoViolations(gh);
  assertNoCloudflareViolations(cf);
});
