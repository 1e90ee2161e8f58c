import { resolve } from "node:path";
import { z } from "zod";
import { localStageStopper } from "../../alchemy/promotion-deployer.ts";
import { EXIT, InputError } from "../../errors.ts";
import { createFileLedger, ledgerPath } from "../../local/ledger-file.ts";
import { assertEnvironment, parseStageMap, stageFor } from "../../promote/environments.ts";
import { stopEnvironment } from "../../promote/stop-environment.ts";
import { localEnvironmentLock } from "../../wiring/promotion-ports.ts";
import { defineCommand } from "../command.ts";

export const envDownCommand = defineCommand({
  path: ["env", "down"],
  summary: "Stop a local environment (staging, production…) and say what was stopped; its data stays",
  description:
    "Stops the alchemy dev process of the environment's stage, waiting for a deploy in progress on it to finish, and marks " +
    "its live entry in .alchkit/ledger.json inactive. The stage's data (Alchemy state, D1, KV, R2, Durable Objects) is kept: " +
    "the next deploy starts from it. Prints JSON {environment, stage, stopped, pid, url, sha}; stopping an environment that " +
    "is not running is not an error. Previews stop with `preview down`, which also destroys their resources.",
  flags: z.object({
    env: z.string().min(1).describe("Environment to stop, e.g. staging"),
    local: z.boolean().default(false).describe("Required: environments on Cloudflare are not stopped, only redeployed or rolled back"),
    cwd: z.string().optional().describe("Repository root (default: the current directory)"),
    stages: z.string().optional().describe("Environment-to-stage mapping, as for deploy (default production→prod)"),
  }),
  examples: ["alchkit env down --env staging --local", "alchkit env down --env production --local"],
  async run({ flags }, ctx) {
    assertEnvironment(flags.env, "--env");
    if (!flags.local) throw new InputError("--local", "--local: env down stops a local environment (on Cloudflare, roll back or redeploy instead)");
    const stage = stageFor(flags.env, parseStageMap(flags.stages ?? "", "--stages"));
    const root = resolve(ctx.cwd, flags.cwd ?? ".");
    const env = { ...ctx.env, DO_NOT_TRACK: ctx.env.DO_NOT_TRACK ?? "1" };
    const result = await stopEnvironment(
      { environment: flags.env, stage },
      {
        ledger: createFileLedger(ledgerPath(root)),
        lock: localEnvironmentLock(root),
        stop: localStageStopper(root, env),
        log: (line) => ctx.stderr(`${line}\n`),
      },
    );
    const running = result.sha ? `, running ${result.sha.slice(0, 7)}` : "";
    ctx.stderr(
      result.stopped
        ? `Stopped ${flags.env} (stage ${stage}): pid ${result.stopped.pid}${result.stopped.url ? ` at ${result.stopped.url}` : ""}${running}. Its data is kept; the next deploy starts from it.\n`
        : `${flags.env} (stage ${stage}) was not running${result.sha ? `; the ledger no longer shows ${result.sha.slice(0, 7)} as live` : ""}.\n`,
    );
    ctx.stdout(
      `${JSON.stringify(
        {
          environment: flags.env,
          stage,
          stopped: result.stopped !== undefined,
          pid: result.stopped?.pid ?? null,
          url: result.stopped?.url ?? null,
          sha: result.sha ?? null,
        },
        null,
        2,
      )}\n`,
    );
    return EXIT.ok;
  },
});

export const envCommands = [envDownCommand];
