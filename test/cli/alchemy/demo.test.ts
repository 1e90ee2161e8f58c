import assert from "node:assert/strict";
import { test } from "node:test";
import { isListening } from "../../../workflows-lib/alchemy/process-group.ts";
import { demoSteps, runDemo, type DemoStep } from "../../../workflows-lib/cli/commands/demo.ts";

function capture() {
  const out = { stdout: "", stderr: "" };
  const ctx = {
    cwd: process.cwd(),
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    isTTY: false,
    stdout: (s: string) => void (out.stdout += s),
    stderr: (s: string) => void (out.stderr += s),
  };
  return { out, ctx };
}

test("alchkit demo brings the example app up, prints its URL and health, and tears it down", async () => {
  const { out, ctx } = capture();
  const stage = `demo-${process.pid}`;
  const code = await runDemo(stage, ctx, demoSteps);
  assert.equal(code, 0, out.stderr);
  const url = out.stdout.match(/api: (http:\/\/localhost:(\d+)\/)/);
  assert.ok(url, out.stdout);
  assert.match(out.stdout, /\/health → 200 \{"ok":true/);
  assert.match(out.stdout, /\/version → 200 \{"build":"demo"/);
  assert.match(out.stdout, new RegExp(`stage ${stage} destroyed, 0 resource\\(s\\) left`));
  assert.equal(await isListening(Number(url[2])), false);
});

test("a failing step still runs the teardown steps and exits 1", async () => {
  const { out, ctx } = capture();
  const ran: string[] = [];
  const steps: DemoStep[] = [
    { title: "first", run: async () => void ran.push("first") },
    { title: "broken", run: async () => { throw new Error("boom"); } },
    { title: "never", run: async () => void ran.push("never") },
    { title: "cleanup", teardown: true, run: async () => void ran.push("cleanup") },
  ];
  assert.equal(await runDemo("pr-1", ctx, steps), 1);
  assert.deepEqual(ran, ["first", "cleanup"]);
  assert.match(out.stderr, /failed: boom/);
  assert.match(out.stdout, /^1\. first\n.*\n2\. broken\n3\. cleanup\n$/s);
});
