// The trust decisions the workflows make before any pull request code runs, evaluated with GitHub's own
// expression evaluator against the event payloads GitHub sends: who gets a checkout with secrets (fork PRs,
// deleted forks, a stale opt-in label), where the OpenAPI check refuses to run, what the release job exposes,
// and which download-cache scope each job may restore.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { repoRoot } from "../../harness/run-action.ts";
import { condition, interpolate, type Contexts } from "../../support/workflow-expressions.ts";

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  if?: string;
  env?: Record<string, string>;
  environment?: unknown;
  permissions?: Record<string, string> | string;
  steps?: Step[];
}
interface Workflow {
  permissions?: unknown;
  jobs: Record<string, Job>;
}

const workflow = (file: string) => parse(readFileSync(join(repoRoot, ".github/workflows", file), "utf8")) as Workflow;
const preview = workflow("preview.yml");

const BASE = "1".repeat(40);
const REVIEWED = "a".repeat(40);

/** The `github` context of a pull request event, as GitHub builds it from the webhook payload. */
function prEvent(options: { event?: string; action: string; head?: string | null; label?: string; labels?: string[]; headSha?: string }): Contexts {
  const head = options.head === undefined ? "octo/app" : options.head;
  return {
    github: {
      event_name: options.event ?? "pull_request",
      repository: "octo/app",
      event: {
        action: options.action,
        ...(options.label ? { label: { name: options.label } } : {}),
        pull_request: {
          number: 7,
          labels: (options.labels ?? []).map((name) => ({ name })),
          head: { sha: options.headSha ?? REVIEWED, ref: "patch-1", repo: head === null ? null : { full_name: head } },
          base: { sha: BASE, ref: "main", repo: { full_name: "octo/app" } },
        },
      },
    },
    inputs: { "fork-label": "preview" },
  };
}

/** What the preview workflow does with an event: which jobs run, what the preview job checks out. */
function decide(contexts: Contexts): { preview: boolean; fork: boolean; checkout?: unknown; allowFork?: unknown } {
  const job = preview.jobs.preview!;
  const runs = condition(job.if, contexts);
  const env = Object.fromEntries(Object.entries(job.env ?? {}).map(([k, v]) => [k, interpolate(v, contexts)]));
  const checkout = job.steps!.find((s) => s.uses?.startsWith("actions/checkout@"))!;
  return {
    preview: runs,
    fork: condition(preview.jobs.fork!.if, contexts),
    ...(runs ? { checkout: interpolate(String(checkout.with!.ref), { ...contexts, env }), allowFork: env.ALLOW_FORK } : {}),
  };
}

test("preview: the trust gate is on the job, before the checkout, and every step of the job is behind it", () => {
  const job = preview.jobs.preview!;
  assert.ok(job.if, "the preview job has a job-level if:");
  assert.equal(job.steps![0]!.uses?.startsWith("actions/checkout@"), true, "the checkout is the first step");
  assert.equal(job.steps![0]!.with!.ref, "${{ env.CODE_SHA }}");
  // The checkout and the setup (dependency install, Cloudflare profile) run only behind the job's gate.
  assert.ok(/^alchkit\/alchkit@/.test(job.steps![1]!.uses ?? ""), "the setup comes right after the checkout");
  for (const step of job.steps!.slice(0, 2)) assert.equal(step.if, undefined, `${step.name ?? step.uses} runs exactly when the job does`);
  assert.deepEqual(preview.permissions, {}, "no permissions at the workflow level");
  const fork = preview.jobs.fork!;
  assert.equal(fork.steps!.some((s) => s.uses?.startsWith("actions/checkout@")), false, "the fork job checks nothing out");
  assert.ok(!JSON.stringify(fork).includes("secrets."), "the fork job has no secrets");
});

test("preview: a same-repository pull request deploys every push, and its head is what gets checked out", () => {
  for (const action of ["opened", "synchronize", "reopened"]) {
    assert.deepEqual(decide(prEvent({ action })), { preview: true, fork: false, checkout: REVIEWED, allowFork: false }, action);
  }
  assert.deepEqual(decide(prEvent({ action: "closed" })), { preview: true, fork: false, checkout: REVIEWED, allowFork: false });
});

test("preview: a fork pull request never reaches the checkout without the opt-in", () => {
  for (const event of ["pull_request", "pull_request_target"]) {
    for (const action of ["opened", "synchronize", "reopened"]) {
      assert.deepEqual(decide(prEvent({ event, action, head: "mallory/app" })), { preview: false, fork: true }, `${event} ${action}`);
    }
  }
  // On pull_request, even the label does not help: GitHub gives such runs no secrets.
  assert.deepEqual(decide(prEvent({ action: "labeled", label: "preview", labels: ["preview"], head: "mallory/app" })), { preview: false, fork: true });
});

test("preview: a pull request whose fork was deleted (head.repo null) is a fork, not a same-repository PR", () => {
  for (const event of ["pull_request", "pull_request_target"]) {
    assert.deepEqual(decide(prEvent({ event, action: "synchronize", head: null })), { preview: false, fork: true }, event);
  }
});

test("preview: the opt-in label deploys exactly the commit it was given to, and a later push is not deployed", () => {
  // The maintainer labels after reviewing REVIEWED: that event's run checks out REVIEWED, whatever came after.
  const labelled = decide(prEvent({ event: "pull_request_target", action: "labeled", label: "preview", labels: ["preview"], head: "mallory/app", headSha: REVIEWED }));
  assert.deepEqual(labelled, { preview: true, fork: false, checkout: REVIEWED, allowFork: true });
  // The race: the fork pushes while the label is on. The push's run gets no checkout and no secrets; the fork
  // job withdraws the label instead.
  const pushed = decide(prEvent({ event: "pull_request_target", action: "synchronize", labels: ["preview"], head: "mallory/app", headSha: "b".repeat(40) }));
  assert.deepEqual(pushed, { preview: false, fork: true });
  // Another label added (or the opt-in label already on while something else changes) deploys nothing.
  assert.deepEqual(decide(prEvent({ event: "pull_request_target", action: "labeled", label: "bug", labels: ["preview", "bug"], head: "mallory/app" })), { preview: false, fork: true });
  assert.deepEqual(decide(prEvent({ event: "pull_request_target", action: "reopened", labels: ["preview"], head: "mallory/app" })), { preview: false, fork: true });
});

test("preview: closing a fork pull request destroys with the base branch's code, never the fork's", () => {
  assert.deepEqual(decide(prEvent({ event: "pull_request_target", action: "closed", head: "mallory/app", headSha: "c".repeat(40) })), {
    preview: true,
    fork: false,
    checkout: BASE,
    allowFork: true,
  });
  assert.deepEqual(decide(prEvent({ event: "pull_request", action: "closed", head: "mallory/app" })), { preview: false, fork: false });
});

test("openapi: pull_request_target runs no pull request code and fails, saying why", () => {
  const openapi = workflow("openapi.yml");
  assert.deepEqual(openapi.permissions, {});
  const target = prEvent({ event: "pull_request_target", action: "synchronize" });
  assert.equal(condition(openapi.jobs.openapi!.if, target), false);
  assert.equal(condition(openapi.jobs.refuse!.if, target), true);
  const refusal = openapi.jobs.refuse!.steps!.map((s) => s.run ?? "").join("\n");
  assert.match(refusal, /never pull_request_target/);
  assert.match(refusal, /exit 1/);
  assert.deepEqual(openapi.jobs.refuse!.permissions, {});
  const pr = prEvent({ action: "synchronize" });
  assert.equal(condition(openapi.jobs.openapi!.if, pr), true);
  assert.equal(condition(openapi.jobs.refuse!.if, pr), false);
});

test("kit-release: the release token is in one step only, the push; the checkout keeps no credentials", () => {
  const release = workflow("kit-release.yml");
  const job = release.jobs.release!;
  assert.equal(job.environment, "release", "the token is a secret of the release environment");
  assert.deepEqual(release.permissions, {});
  const steps = job.steps!;
  const checkout = steps.find((s) => s.uses?.startsWith("actions/checkout@"))!;
  assert.equal(checkout.with!["persist-credentials"], false);
  assert.equal(checkout.with!.token, undefined);
  const withSecrets = steps.filter((s) => JSON.stringify(s).includes("secrets."));
  assert.deepEqual(withSecrets.map((s) => s.name), ["Push the tags (the only step that sees the release token)"]);
  assert.match(withSecrets[0]!.run!, /git push --atomic origin \$REFSPECS/);
  const pushAt = steps.indexOf(withSecrets[0]!);
  for (const step of steps.slice(0, pushAt)) {
    assert.ok(!/npm (ci|test|install)|scripts\/release\.ts/.test(step.run ?? "") || !JSON.stringify(step).includes("secrets."), step.name);
  }
  assert.ok(steps.slice(0, pushAt).some((s) => /scripts\/release\.ts "\$VERSION" --no-push/.test(s.run ?? "")), "build and tag without pushing first");
  assert.ok(!steps.some((s) => s.uses?.startsWith("actions/setup-node@") && s.with?.cache), "no dependency cache in the release job");
});

test("setup: pull-request jobs and deploy jobs never share a download cache, and deploy jobs take exact matches only", () => {
  const setup = parse(readFileSync(join(repoRoot, "action.yml"), "utf8")) as { runs: { steps: Step[] } };
  const restore = setup.runs.steps.find((s) => s.uses?.startsWith("actions/cache@"))!;
  const contexts = (scope: string): Contexts => ({ inputs: { "cache-scope": scope, "node-version": "24" }, runner: { os: "Linux" }, steps: { detect: { outputs: { "package-manager": "npm" } } } });
  const keyPrefix = (scope: string) => String(restore.with!.key).replace(/\$\{\{\s*hashFiles\([^}]*\}\}$/, "");
  assert.equal(interpolate(keyPrefix("deploy"), contexts("deploy")), "alchkit-deploy-Linux-node24-npm-");
  assert.equal(interpolate(keyPrefix("pull-request"), contexts("pull-request")), "alchkit-pull-request-Linux-node24-npm-");
  assert.equal(interpolate(String(restore.with!["restore-keys"]), contexts("deploy")), "", "no prefix fallback for deploy jobs");
  assert.equal(interpolate(String(restore.with!["restore-keys"]), contexts("pull-request")), "alchkit-pull-request-Linux-node24-npm-");

  const scopeOf = (file: string) =>
    Object.values(workflow(file).jobs).flatMap((job) => (job.steps ?? []).filter((s) => /^alchkit\/alchkit@/.test(s.uses ?? "")).map((s) => s.with?.["cache-scope"] ?? "pull-request"));
  // The scheduled sweep runs unattended on the default branch with an account token: nothing a pull request wrote.
  for (const file of ["deploy.yml", "promote.yml", "rollback.yml", "sweep.yml"]) assert.deepEqual([...new Set(scopeOf(file))], ["deploy"], file);
  for (const file of ["preview.yml", "ci.yml", "openapi.yml"]) assert.ok(!scopeOf(file).includes("deploy"), file);
});
