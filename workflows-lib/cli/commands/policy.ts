import { mkdtemp, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import { z } from "zod";
import { EXIT, InputError } from "../../errors.ts";
import { gitOrUndefined } from "../../local/git.ts";
import { loadConfig } from "../../local/config-file.ts";
import { createOpaCli } from "../../local/opa-cli.ts";
import { resultJson } from "../../policy/audit.ts";
import { parseFactsText } from "../../policy/facts-file.ts";
import { factsText } from "../../policy/evaluate-policies.ts";
import { findLibraryDir } from "../../policy/library.ts";
import { OpaUnavailable } from "../../policy/opa-port.ts";
import { runPolicyGate } from "../../policy/policy-gate.ts";
import { renderPolicyReport, renderPolicyText } from "../../policy/report.ts";
import { assertEnvironment, stageFor } from "../../promote/environments.ts";
import { factsPorts, policyFiles, stageNaming } from "../../wiring/policy-ports.ts";
import { defineCommand } from "../command.ts";

const flags = z.object({
  policy: z.string().optional().describe("Folder of Rego policies (default: policy.directory of alchkit.config.json, else policies)"),
  facts: z.string().optional().describe("Evaluate this deployment-facts JSON instead of assembling it (docs/policy-facts.schema.json)"),
  stage: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: "a stage name" }).optional().describe("Assemble the facts of this Alchemy stage"),
  local: z.boolean().default(false).describe("Read the stage from the local .alchemy folder (alchemy dev, deploy --local) instead of alchemy state"),
  environment: z.string().optional().describe("Environment the deployment goes to (default: the one whose stage is --stage)"),
  sha: z.string().optional().describe("Commit being deployed (default: HEAD)"),
  base: z.string().optional().describe("List the files changed since this ref (e.g. what is live)"),
  loadGate: z.string().optional().describe("The load gate's JSON result (alchkit load-gate run / the action's result.json)"),
  openapiDiff: z.string().optional().describe("The OpenAPI diff's JSON (alchkit openapi diff --format json)"),
  openapiApproved: z.boolean().default(false).describe("The breaking API changes were approved"),
  cwd: z.string().optional().describe("Repository root (default: the current directory)"),
  appDir: z.string().optional().describe("Directory of alchemy.run.ts (default: app.directory of alchkit.config.json)"),
  app: z.string().optional().describe("Alchemy app, when several in the folder have the stage"),
  profile: z.string().optional().describe("Alchemy profile for reading state (not with --local)"),
  opa: z.string().default("opa").describe("The opa executable"),
  writeFacts: z.string().optional().describe("Also write the assembled facts to this file (fixtures for policy tests)"),
  format: z.enum(["json", "markdown", "text"]).default("json").describe("Output: json (contract), markdown (the summary) or text"),
});

export const policyCheckCommand = defineCommand({
  path: ["policy", "check"],
  summary: "Evaluate the repository's Rego policies (and enabled library policies) against a deployment's facts with OPA",
  description:
    "Assembles the deployment facts of --stage (its Alchemy resources, dependencies and licenses, changed files…) or reads --facts, " +
    "then evaluates every policies/**/*.rego with conftest's conventions (deny, violation, warn, exception; every namespace) using OPA. " +
    "Exit 0 allowed, 1 denied, 2 bad input (a policy that does not compile, no opa, facts that break their schema).",
  flags,
  examples: [
    "alchkit policy check --stage pr-12 --local",
    "alchkit policy check --stage staging --environment production --load-gate load/result.json --format markdown",
    "alchkit policy check --facts facts.json --policy policies",
  ],
  async run({ flags }, ctx) {
    if ((flags.facts === undefined) === (flags.stage === undefined)) throw new InputError("--facts/--stage", "exactly one of --facts FILE or --stage STAGE");
    if (flags.profile && flags.local) throw new InputError("--profile", "no profile with --local (local state needs no credentials)");
    const root = path.resolve(ctx.cwd, flags.cwd ?? ".");
    const { config } = await loadConfig(root);
    const appDir = path.resolve(root, flags.appDir ?? config.app.directory);
    const at = (file: string) => path.resolve(ctx.cwd, file);
    const readJsonFlag = async (file: string | undefined, name: string): Promise<unknown> => {
      if (file === undefined) return undefined;
      const text = await readFile(at(file), "utf8").catch(() => {
        throw new InputError(name, "a readable JSON file", `${file} cannot be read`);
      });
      try {
        return JSON.parse(text);
      } catch (error) {
        throw new InputError(name, "JSON", (error as Error).message);
      }
    };

    let source: Parameters<typeof runPolicyGate>[0];
    if (flags.facts !== undefined) {
      const text = await readFile(at(flags.facts), "utf8").catch(() => {
        throw new InputError("--facts", "a readable facts file", `${flags.facts} cannot be read`);
      });
      source = { facts: parseFactsText(text, flags.facts) };
    } else {
      const stage = flags.stage!;
      const environment =
        flags.environment !== undefined
          ? assertEnvironment(flags.environment, "--environment")
          : Object.entries(config.environments).find(([, e]) => e.stage === stage)?.[0];
      const targetStage = flags.environment !== undefined ? (config.environments[flags.environment]?.stage ?? stageFor(flags.environment, {})) : stage;
      const sha = flags.sha ? (await gitOrUndefined(root, ["rev-parse", "--verify", `${flags.sha}^{commit}`]))?.trim() ?? flags.sha : (await gitOrUndefined(root, ["rev-parse", "HEAD"]))?.trim();
      source = {
        request: {
          stage,
          target: { ...(environment ? { environment } : {}), stage: targetStage, ...(sha ? { sha } : {}) },
          naming: stageNaming(config),
          loadGate: await readJsonFlag(flags.loadGate, "--load-gate"),
          openapiDiff: await readJsonFlag(flags.openapiDiff, "--openapi-diff"),
          openapiApproved: flags.openapiApproved,
          trigger: { actor: ctx.env.USER ?? safeUser(), event: "local" },
          names: { loadGate: "--load-gate", openapiDiff: "--openapi-diff" },
        },
      };
    }

    const workDir = await mkdtemp(path.join(tmpdir(), "alchkit-policy-"));
    try {
      const outcome = await runPolicyGate(
        source,
        {
          policyDir: path.resolve(root, flags.policy ?? config.policy.directory),
          libraryDir: findLibraryDir(),
          library: config.policy.library,
          workDir,
          displayRoot: root,
          regoV0: config.policy.regoVersion === "v0",
          policyInput: "--policy",
        },
        {
          facts: factsPorts({
            root,
            appDir,
            state: flags.local
              ? { from: "local", ...(flags.app ? { app: flags.app } : {}) }
              : { from: "alchemy", flags: { ...(flags.profile ? { profile: flags.profile } : {}), ...(flags.app ? { app: flags.app } : {}) }, cli: { cwd: appDir, env: ctx.env } },
            ...(flags.base ? { base: flags.base } : {}),
          }),
          opa: createOpaCli(flags.opa, ctx.env),
          files: policyFiles,
        },
      ).catch((error: unknown) => {
        if (error instanceof OpaUnavailable) throw new InputError("--opa", "an opa executable (OPA v1; https://www.openpolicyagent.org/docs/#running-opa)", error.message);
        throw error;
      });
      if (flags.writeFacts) {
        await mkdir(path.dirname(at(flags.writeFacts)), { recursive: true });
        await writeFile(at(flags.writeFacts), factsText(outcome.facts));
      }
      if (flags.format === "markdown") ctx.stdout(`${renderPolicyReport(outcome.result, outcome.facts)}\n`);
      else if (flags.format === "text") ctx.stdout(`${renderPolicyText(outcome.result)}\n`);
      else ctx.stdout(`${JSON.stringify(resultJson(outcome.result), null, 2)}\n`);
      return outcome.result.passed ? EXIT.ok : EXIT.gateFailed;
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  },
});

function safeUser(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}

export const policyCommands = [policyCheckCommand];
