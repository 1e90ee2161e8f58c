import { existsSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { findAlchemyCli } from "../../alchemy/alchemy-cli.ts";
import { isValidStage } from "../../platform/stage-name.ts";
import { EXIT, InputError } from "../../errors.ts";
import { runDemo } from "../demo/run-demo.ts";
import type { ApprovalPort } from "../../promote/ports.ts";
import { defineCommand, type CliContext } from "../command.ts";
import { kitRoot } from "../../local/kit-root.ts";

/** The example app of the kit's repository (an Alchemy app: Hono + zod-openapi orders API). */
export const EXAMPLE_APP_DIR = path.join(kitRoot(), "test/fixtures/consumer-app");

const flags = z.object({
  stage: z
    .string()
    .refine(isValidStage, { error: "a stage name of lower case letters, digits and single dashes, e.g. pr-1" })
    .refine((stage) => stage !== "staging" && stage !== "prod", { error: "a preview stage other than staging and prod (the demo's environments)" })
    .default("pr-1")
    .describe("Stage the pull request's preview runs as"),
  yes: z.boolean().default(false).describe("Approve the promotion to production without asking (implied by CI=true without a terminal)"),
});

/**
 * How the production promotion gets approved: a question on a terminal, nobody with --yes, nobody in CI
 * (CI=true, no terminal). Anything else cannot be approved: refused before the demo starts.
 */
function approvalFor(yes: boolean, ctx: CliContext): { approval?: ApprovalPort; note: string } {
  if (yes) return { note: "approved by --yes" };
  if (ctx.isTTY && ctx.prompt) {
    const prompt = ctx.prompt;
    return {
      note: "asking you, as GitHub asks an environment's required reviewers",
      approval: {
        async approve(question) {
          const answer = (await prompt(`${question} [y/N] `)).trim().toLowerCase();
          return answer === "y" || answer === "yes";
        },
      },
    };
  }
  if (ctx.env.CI === "true") return { note: "approved without asking: CI=true and no terminal (as with --yes)" };
  throw new InputError("--yes", "a terminal to approve the promotion to production in, or --yes to approve it without asking (CI=true implies it)");
}

/**
 * The node_modules the example app's copy links to: where its Alchemy is installed (the kit's clone after
 * `npm ci`). Not installed: Alchemy's own "install it first" error, before anything starts.
 */
function installedDependencies(): string {
  const cli = findAlchemyCli(EXAMPLE_APP_DIR);
  const marker = `${path.sep}node_modules${path.sep}alchemy${path.sep}`;
  return cli.slice(0, cli.lastIndexOf(marker) + `${path.sep}node_modules`.length);
}

export const demoCommand = defineCommand({
  path: ["demo"],
  summary: "Run the kit's whole pipeline on the bundled example app, locally (no Cloudflare, no GitHub)",
  description:
    "On a temporary git copy of the example Alchemy app: CI matrix of its pull request, preview of that pull request on " +
    "workerd, load gate (autocannon), OpenAPI check (and a pull request the check blocks), deploy to staging, promotion to " +
    "production after approval, the pull request as a 10 % canary beside production (a local split in front of two local stages) " +
    "aborted by its metric gate, a bad deploy rolled back automatically, release feeds from this repository's tags. Prints a " +
    "timeline and writes what GitHub would show to .alchkit/out/ (comment.md, summary.md, all of it rendered in index.html) and the delivery dashboard of its run (dashboard/index.html). Stops every process it started, " +
    "also on failure and Ctrl-C. Exit 0 when the pipeline behaved as designed (the blocked pull request, the aborted canary and " +
    "the rollback are designed outcomes), 1 when a step did not, 2 on bad input, 130 when interrupted (143 on SIGTERM).",
  flags,
  aliases: { y: "yes" },
  examples: ["npm run demo", "alchkit demo --yes", "CI=true alchkit demo"],
  async run({ flags }, ctx) {
    if (!existsSync(EXAMPLE_APP_DIR)) {
      throw new InputError(
        "alchkit demo",
        "a clone of the kit's repository: the demo runs its example app, which the npm package does not ship",
        "git clone https://github.com/alchkit/alchkit && cd alchkit && npm ci && npm run demo",
      );
    }
    const { approval, note } = approvalFor(flags.yes, ctx);
    // The handlers stay until the demo has cleaned up: a second Ctrl-C must not kill it while it stops its apps.
    let received: NodeJS.Signals | undefined;
    let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
    const interrupted = new Promise<string>((resolve) => {
      onSignal = (signal) => {
        if (received) return ctx.stderr("Stopping the demo's apps, one moment…\n");
        received = signal;
        resolve(signal);
      };
    });
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    try {
      const outcome = await runDemo({
        cwd: ctx.cwd,
        appDir: EXAMPLE_APP_DIR,
        nodeModules: installedDependencies(),
        previewStage: flags.stage,
        env: ctx.env,
        ...(approval ? { approval } : {}),
        approvalNote: note,
        style: ctx.isTTY ? "human" : "plain",
        write: ctx.stdout,
        interrupted,
      });
      const out = path.relative(ctx.cwd, outcome.outDir) || ".";
      if (outcome.interrupted) {
        ctx.stderr(`Interrupted (${outcome.interrupted}): every process the demo started is stopped.\n`);
        // The shell convention: 128 + the signal's number (130 for Ctrl-C, 143 for SIGTERM).
        return outcome.interrupted === "SIGTERM" ? 143 : 130;
      }
      ctx.stdout(
        outcome.ok
          ? `Demo finished: the pipeline behaved as designed. What GitHub would show: ${out}/comment.md, ${out}/summary.md; the delivery dashboard: ${out}/dashboard/index.html\n`
          : `Demo finished, but a step did not behave as designed (see the timeline). Reports: ${out}/summary.md\n`,
      );
      return outcome.ok ? EXIT.ok : EXIT.gateFailed;
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
  },
});
