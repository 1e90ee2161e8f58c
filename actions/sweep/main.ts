import path from "node:path";
import { createCloudflareRuntime } from "../../workflows-lib/alchemy/cloudflare-runtime.ts";
import { configuredLauncher } from "../../workflows-lib/alchemy/alchemy-launcher.ts";
import { loadConfig } from "../../workflows-lib/local/config-file.ts";
import { accountInventoryFor } from "../../workflows-lib/cloudflare/account-from-env.ts";
import { GateFailure, InputError } from "../../workflows-lib/errors.ts";
import { runAction } from "../../workflows-lib/github/action-shell.ts";
import { renderSweepMarkdown, runSweep } from "../../workflows-lib/sweep/run-sweep.ts";
import { sweepInputs } from "../../workflows-lib/sweep/sweep-inputs.ts";
import { sweepPorts } from "../../workflows-lib/wiring/sweep-ports.ts";

export async function run(): Promise<void> {
  await runAction(async (io) => {
    const inputs = io.inputs(sweepInputs);
    const secrets = [io.env.CLOUDFLARE_API_TOKEN, io.env.ALCHEMY_PASSWORD, io.env.ALCHEMY_STATE_TOKEN].filter((s): s is string => !!s);
    secrets.forEach((s) => io.secret(s));
    const account = await accountInventoryFor(io.env, inputs.profile);
    if (!account) throw new InputError("profile", "an Alchemy profile written by the setup action, or CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID in the environment");
    const cwd = path.resolve(io.context.workspace, inputs.workingDirectory);
    const launcher = configuredLauncher(cwd, (await loadConfig(io.context.workspace)).config.app);
    const runtime = createCloudflareRuntime({ cwd, env: io.env, secrets, onOutput: (chunk) => process.stdout.write(chunk), ...(launcher ? { launcher } : {}) });
    const outcome = await runSweep(
      { prefix: inputs.stagePrefix, protectedStages: inputs.protectedStages, yes: inputs.destroy },
      sweepPorts({
        account,
        octokit: io.github(),
        owner: io.context.owner,
        repo: io.context.repo,
        runtime,
        ...(inputs.profile ? { profile: inputs.profile } : {}),
        protectedStages: inputs.protectedStages,
      }),
    );
    io.setOutput("stages", JSON.stringify(outcome.plan.stages.map((s) => s.stage)));
    io.setOutput("leftovers", outcome.leftovers.length);
    await io.summary(renderSweepMarkdown(outcome));
    for (const stage of outcome.plan.stages) io.info(`${stage.stage}: ${stage.reason}`);
    if (outcome.problems.length > 0 || outcome.leftovers.length > 0) {
      throw new GateFailure([...outcome.problems, ...(outcome.leftovers.length > 0 ? [`still in the account: ${outcome.leftovers.join(", ")}`] : [])].join("; "));
    }
    if (outcome.dryRun && outcome.plan.stages.length > 0) {
      io.notice(`${outcome.plan.stages.length} leaked preview stage(s) found; nothing deleted (destroy: false).`, "alchkit sweep");
    }
  });
}

await run();
