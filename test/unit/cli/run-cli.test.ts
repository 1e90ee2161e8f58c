import { test } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { defineCommand, type CliContext } from "../../../workflows-lib/cli/command.ts";
import { runCli } from "../../../workflows-lib/cli/run-cli.ts";
import { renderCliReference } from "../../../workflows-lib/cli/cli-reference.ts";
import { GateFailure } from "../../../workflows-lib/errors.ts";

function context(): CliContext & { out: string; err: string } {
  const ctx = { out: "", err: "", cwd: process.cwd(), env: {}, isTTY: false } as CliContext & { out: string; err: string };
  ctx.stdout = (t) => void (ctx.out += t);
  ctx.stderr = (t) => void (ctx.err += t);
  return ctx;
}

const seen: unknown[] = [];
const specs = [
  defineCommand({
    path: ["gate", "run"],
    summary: "Runs a gate",
    positionals: [{ name: "FILE", description: "a summary file" }],
    flags: z.object({
      format: z.enum(["json", "markdown"]).default("json").describe("Output format"),
      failOn: z.enum(["error", "never"]).optional().describe("Fail threshold"),
      yes: z.boolean().optional().describe("Skip the prompt"),
      tag: z.array(z.string()).optional().describe("Tags"),
    }),
    aliases: { y: "yes" },
    async run({ flags, positionals }) {
      seen.push({ flags, positionals });
      if (positionals[0] === "bad") throw new GateFailure("threshold p(95)<200 failed");
      return 0;
    },
  }),
  defineCommand({ path: ["gate"], summary: "Group", flags: z.object({}), async run() { return 0; } }),
];

test("flags are kebab-case, validated by zod, and passed camelCase with defaults", async () => {
  seen.length = 0;
  const ctx = context();
  const code = await runCli(specs, ["gate", "run", "x.json", "--fail-on", "never", "-y", "--tag", "a", "--tag", "b"], ctx, "1.0.0");
  assert.equal(code, 0, ctx.err);
  assert.deepEqual(seen[0], { flags: { format: "json", failOn: "never", yes: true, tag: ["a", "b"] }, positionals: ["x.json"] });
});

test("the longest matching command wins", async () => {
  seen.length = 0;
  assert.equal(await runCli(specs, ["gate"], context(), "1"), 0);
  assert.equal(seen.length, 0);
});

test("bad input exits 2 with one message naming the flag", async () => {
  const ctx = context();
  assert.equal(await runCli(specs, ["gate", "run", "x", "--format", "xml"], ctx, "1"), 2);
  assert.match(ctx.err, /--format: expected one of "json"\|"markdown"|--format: expected .*json.*markdown/);
  assert.equal(ctx.err.trim().split("\n").length, 1);

  const unknown = context();
  assert.equal(await runCli(specs, ["gate", "run", "x", "--colour"], unknown, "1"), 2);
  assert.match(unknown.err, /--colour/);

  const missing = context();
  assert.equal(await runCli(specs, ["gate", "run"], missing, "1"), 2);
  assert.match(missing.err, /FILE: expected a summary file/);

  const nothing = context();
  assert.equal(await runCli(specs, ["nope"], nothing, "1"), 2);
  assert.match(nothing.err, /expected a command/);
});

test("a gate failure exits 1", async () => {
  const ctx = context();
  assert.equal(await runCli(specs, ["gate", "run", "bad"], ctx, "1"), 1);
  assert.match(ctx.err, /p\(95\)<200 failed/);
});

test("--help prints usage, flags, choices and defaults", async () => {
  const ctx = context();
  assert.equal(await runCli(specs, ["gate", "run", "--help"], ctx, "1"), 0);
  assert.match(ctx.out, /alchkit gate run FILE \[flags\]/);
  assert.match(ctx.out, /--format <json\|markdown>\s+Output format \(default: json\)/);
  assert.match(ctx.out, /-h, --help/);
});

test("the CLI reference lists every command with its flags", () => {
  const md = renderCliReference(specs);
  assert.match(md, /## alchkit gate run/);
  assert.match(md, /\| `--fail-on <value>` \| no \|/);
});

test("the lazy registry names exactly the commands its modules define, in order", async () => {
  const { commandModules, moduleFor } = await import("../../../workflows-lib/cli/commands/registry.ts");
  for (const module of commandModules) {
    const specs = await module.load();
    assert.deepEqual(specs.map((s) => s.path), module.paths);
  }
  assert.deepEqual(moduleFor(["openapi", "diff", "a", "b"])?.paths[2], ["openapi", "diff"]);
  assert.equal(moduleFor(["nope"]), undefined);
});
