// The OpenAPI guide's workflow (docs/openapi.md, `api.yml`) calling the kit's openapi.yml under act: the pull
// request's description and its base's, each generated from the app's module after its own install, compared
// with oasdiff's rule ids; a breaking change fails the check with one sticky comment, the override label turns
// it into "overridden", and the counts flow out of workflow_call. Both descriptions and the API reference are
// uploaded as artifacts.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { tool } from "../../support/tools.ts";
import { documentedWorkflow } from "../../support/markdown-blocks.ts";
import { CONSUMER } from "../../act/consumer-repo.ts";
import { pullRequestEvent } from "../../act/events.ts";
import { resultsOf } from "../../act/run-act.ts";
import { assertNoViolations, assertPassed, startActStory, type ActStory } from "../../act/story.ts";

const act = tool("act", "running the kit's workflows");

let story: ActStory;
let merge: string;
before(async () => {
  if (act.skip) return;
  story = await startActStory(act.require());
  const { repo } = story;
  // What the guide asks for: its workflow and the ignore list it names.
  repo.commit("main", "Check the API on pull requests", {
    ".github/workflows/api.yml": documentedWorkflow("docs/openapi.md", "api.yml"),
    ".github/openapi-ignore.yaml": "[]\n",
  });
  const app = readFileSync(path.join(repo.work.dir, "src/app.ts"), "utf8");
  repo.commit("orders-v2", "Orders v2: currency required, cancel removed", {
    "src/app.ts": app.replace('export const app = createApp("standard");', 'export const app = createApp("breaking");'),
  });
  merge = repo.pullRequest(1, "orders-v2").merge;
});
after(() => story?.close());

const stickyComments = () => [...story.gh.state.repo(CONSUMER)!.comments.values()].filter((c) => c.issueNumber === 1 && c.body.includes("alchkit:sticky:openapi"));

test("a breaking change fails the check, with one comment naming oasdiff's rule ids, and both descriptions uploaded", { skip: act.skip }, async () => {
  const run = await story.run("api.yml", await pullRequestEvent(story.gh, CONSUMER, 1, "opened"), merge);
  assert.notEqual(run.exitCode, 0, "the check fails");
  assert.deepEqual(resultsOf(run, "openapi/openapi"), ["failure"]);
  assert.equal(stickyComments().length, 1);
  const body = stickyComments()[0]!.body;
  for (const id of ["new-required-request-property", "api-path-removed-without-deprecation", "response-required-property-removed"]) {
    assert.ok(body.includes(id), `the comment names ${id}`);
  }
  assert.deepEqual(run.artifacts, ["openapi", "openapi-docs"], "the descriptions and the API reference (docs: true)");
  assertNoViolations(story.gh);
});

test("the override label passes the check: the gate and the counts flow out of workflow_call, still one comment", { skip: act.skip }, async () => {
  const pull = story.gh.state.repo(CONSUMER)!.pulls.get(1)!;
  pull.labels = ["api-breaking-ok"];
  const run = await story.run("api.yml", await pullRequestEvent(story.gh, CONSUMER, 1, "labeled", { label: "api-breaking-ok" }), merge);
  assertPassed(run, "labeled api-breaking-ok");
  const outputs = run.needs.openapi?.outputs ?? {};
  assert.equal(outputs.gate, "overridden");
  assert.ok(Number(outputs.errors) >= 3, `errors: ${outputs.errors}`);
  assert.equal(outputs.breaking, outputs.errors, "fail-on error: the breaking changes are the errors");
  assert.equal(stickyComments().length, 1, "the same comment, edited");
  assertNoViolations(story.gh);
});
