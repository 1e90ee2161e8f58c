import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { defineCommand, type CliContext } from "../command.ts";
import { EXIT, InputError } from "../../errors.ts";
import { CONFIG_FILE } from "../../config/config-schema.ts";
import { diagnose, findEntries, installRootsOf, type DoctorPorts, type DoctorReport } from "../../doctor/diagnose.ts";
import { withPlannedFiles } from "../../doctor/planned-files.ts";
import { renderFindingText, summaryLine } from "../../doctor/render-findings.ts";
import { documentedKitRef } from "../../init/kit-ref.ts";
import { planPackagePins } from "../../init/package-pins.ts";
import { environmentNames } from "../../init/environment-names.ts";
import { initialConfig, planInit, type InitOptions, type ProjectFacts } from "../../init/plan-init.ts";
import { readFacts, writePlan } from "../../init/project-files.ts";
import { containedPath } from "../../local/contained-path.ts";
import type { PlannedFile } from "../../init/plan-files.ts";
import { protectRepository } from "../../github/protect-repository.ts";
import { doctorPorts } from "../../local/doctor-repository.ts";
import { kitManifest, kitRoot } from "../../local/kit-root.ts";

const { version } = kitManifest();
const readme = path.join(kitRoot(), "README.md");
/** The release the README tells users to pin (a release pins it to itself); the package's version without one. */
export const DEFAULT_KIT_REF = (existsSync(readme) && documentedKitRef(readFileSync(readme, "utf8"))) || `v${version}`;

const VERB: Record<PlannedFile["action"], string> = { create: "create", "update-section": "update", unchanged: "same", conflict: "keep" };

function show(plan: PlannedFile[], ctx: CliContext, dryRun: boolean, alchemyWorkflows: Set<string>): void {
  for (const file of plan) {
    const note = file.note
      ? `  (${file.note})`
      : file.action === "conflict"
        ? alchemyWorkflows.has(file.path)
          ? "  (Alchemy's own CI workflow, kept: delete it and run init again to write alchkit's — see doctor's note below)"
          : "  (exists and differs; not overwritten — the diff shows what init would write)"
        : file.action === "update-section"
          ? file.path === ".gitignore"
            ? "  (alchkit lines appended)"
            : "  (alchkit section only)"
          : "";
    const would = dryRun && (file.action === "create" || file.action === "update-section") ? "would " : "";
    ctx.stdout(`${would}${VERB[file.action].padEnd(7)}${file.path}${note}\n`);
    if (file.diff && !alchemyWorkflows.has(file.path)) ctx.stdout(`${file.diff.split("\n").filter((l) => !l.startsWith("  ")).map((l) => `    ${l}`).join("\n")}\n`);
  }
}

/** Doctor on the repository as it is after init's writes (the planned files in place of the current ones). */
function doctorAfter(ports: DoctorPorts, facts: ProjectFacts, plan: PlannedFile[], options: InitOptions): DoctorReport {
  const planned = Object.fromEntries(plan.filter((f) => f.action === "create" || f.action === "update-section").map((f) => [f.path, f.content]));
  const files = withPlannedFiles(ports.files, planned);
  const configText = files.read(CONFIG_FILE);
  return diagnose({ ...ports, files }, { config: initialConfig(facts, options), ...(configText !== undefined ? { configFile: { file: CONFIG_FILE, text: configText } } : {}) });
}

/**
 * The health path of a new configuration: the flag; else /health when the app routes it; else asked on a
 * terminal, or `/` when the app routes that (said so); else /health, and doctor's finding explains.
 */
async function chooseHealthPath(ports: DoctorPorts, facts: ProjectFacts, flag: string | undefined, ctx: CliContext): Promise<string | undefined> {
  if (flag) return flag;
  if (facts.existing[CONFIG_FILE] !== undefined) return undefined;
  const before = diagnose(ports, { config: initialConfig(facts) });
  if (!before.findings.some((f) => f.id === "health-route-missing")) return undefined;
  const routes = before.routes.filter((r) => !r.includes(":") && !r.includes("*"));
  const suggestion = routes.includes("/") ? "/" : routes[0];
  if (ctx.isTTY && ctx.prompt) {
    const answer = (await ctx.prompt(`The app has no route at /health. Path the kit probes after each deploy (it must answer 200${routes.length ? `; the app routes ${routes.slice(0, 6).join(", ")}` : ""})${suggestion ? ` [${suggestion}]` : ""}: `)).trim();
    const chosen = answer || suggestion;
    if (chosen && !chosen.startsWith("/") && chosen !== "none") throw new InputError("health path", "a path starting with / (or none)", chosen);
    return chosen;
  }
  if (suggestion === "/") {
    ctx.stdout("health path: / (the app has no route at /health; --health-path chooses another, `none` skips the check)\n");
    return "/";
  }
  return undefined;
}

export const initCommand = defineCommand({
  path: ["init"],
  summary: "Scaffold alchkit into a repository: workflows, config, load test, README section",
  description:
    "Detects the Alchemy entry and the package manager, then writes .github/workflows/ (preview, ci, deploy, promote, rollback, " +
    "release) calling the kit at a pinned version, alchkit.config.json (with a JSON Schema for editors), a k6 script and " +
    "thresholds, and a README section. Never overwrites a file that exists: it shows what it would change instead, so running " +
    "it twice is safe. --protect also creates the configuration's staging and production environments and the branch rule through the API.",
  flags: z.object({
    dir: z.string().default(".").describe("Repository to scaffold"),
    kitRef: z.string().regex(/^v\d+(\.\d+){0,2}$/, { error: "a release tag such as v1 or v1.2.3" }).default(DEFAULT_KIT_REF).describe("Release of alchkit the workflows call"),
    dryRun: z.boolean().optional().describe("Show what would change; write nothing"),
    skipPolicy: z.boolean().optional().describe("Leave the policy gate out: no policies/ starter, no library policies, policy: false in the deploy and promote workflows"),
    protect: z.boolean().optional().describe("Also create the environments (production with required reviewers) and the branch rule via the GitHub API (GITHUB_TOKEN)"),
    repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, { error: "OWNER/NAME" }).optional().describe("Repository for --protect (default GITHUB_REPOSITORY)"),
    healthPath: z.string().regex(/^(\/.*|none)$/, { error: "a path starting with / (or none)" }).optional().describe("Path previews and environments must answer 200 on (default /health, or / when the app has no /health route; asked on a terminal)"),
    secretsFromEnv: z.boolean().optional().describe("With --protect: set the credentials as secrets from init's environment — CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID, ALCHEMY_PASSWORD, ALCHEMY_STATE_TOKEN into the production environment (STAGING_<name> or the same into staging), PREVIEW_CLOUDFLARE_API_TOKEN, PREVIEW_ALCHEMY_PASSWORD, PREVIEW_ALCHEMY_STATE_TOKEN, CLOUDFLARE_ACCOUNT_ID as repository secrets; existing secrets are kept"),
    overwriteSecrets: z.boolean().optional().describe("With --secrets-from-env: replace secrets that exist"),
    reviewer: z.array(z.string().regex(/^[A-Za-z0-9-]+$/, { error: "a GitHub login" })).optional().describe("Required reviewer of production deployments (login); repeatable"),
  }),
  examples: ["alchkit init", "alchkit init --dir ../my-app --dry-run", "GITHUB_TOKEN=… alchkit init --protect --reviewer octocat"],
  async run({ flags }, ctx) {
    const root = path.resolve(ctx.cwd, flags.dir);
    if (!existsSync(root)) throw new InputError("--dir", "an existing folder", root);
    if ((flags.secretsFromEnv || flags.overwriteSecrets) && !flags.protect) throw new InputError("--secrets-from-env", "--protect as well (secrets are written through the GitHub API)");
    if (flags.protect && !(ctx.env.GITHUB_TOKEN || ctx.env.GH_TOKEN)) throw new InputError("GITHUB_TOKEN", "a token with administration rights for --protect (or GH_TOKEN)");
    const facts = readFacts(root);
    const ports = doctorPorts(root, { askTools: true });
    const healthPath = await chooseHealthPath(ports, facts, flags.healthPath, ctx);
    const options: InitOptions = { policy: flags.skipPolicy !== true, ...(healthPath ? { healthPath } : {}) };
    const pins = installRootsOf(ports, findEntries(ports.files)).map(planPackagePins);
    const plan = [...planInit(facts, flags.kitRef, options), ...pins.flatMap((p) => p.files)];
    const report = doctorAfter(ports, facts, plan, options);
    const alchemyWorkflows = new Set(report.findings.filter((f) => f.id === "alchemy-ci-workflow" && f.file).map((f) => f.file!));
    show(plan, ctx, flags.dryRun === true, alchemyWorkflows);
    for (const note of pins.flatMap((p) => p.notes)) ctx.stdout(`note   ${note}\n`);
    if (!flags.dryRun) writePlan(root, plan, (relative) => containedPath([root], relative, relative));
    if (flags.protect) {
      const repository = flags.repo ?? ctx.env.GITHUB_REPOSITORY;
      if (!repository) throw new InputError("--repo", "OWNER/NAME", "not given and GITHUB_REPOSITORY is unset");
      const result = await protectRepository(
        { token: (ctx.env.GITHUB_TOKEN || ctx.env.GH_TOKEN)!, baseUrl: ctx.env.GITHUB_API_URL ?? "https://api.github.com", repository, reviewers: flags.reviewer ?? [], environments: environmentNames(initialConfig(facts, options)), dryRun: flags.dryRun === true, env: ctx.env, ...(flags.secretsFromEnv ? { secretsFrom: ctx.env, overwriteSecrets: flags.overwriteSecrets === true } : {}) },
      );
      ctx.stdout(`${result.map((line) => `${flags.dryRun ? "would " : ""}${line}`).join("\n")}\n`);
    }
    ctx.stdout(`\nalchkit doctor${flags.dryRun ? " (on the repository as init would leave it)" : ""}: ${summaryLine(report.findings)}\n`);
    for (const f of report.findings) ctx.stdout(renderFindingText(f, "  "));
    if (report.findings.length > 0) ctx.stdout("  `alchkit doctor` checks again; docs/doctor.md explains every check.\n\n");
    const conflicts = plan.filter((f) => f.action === "conflict").length;
    ctx.stdout(`${conflicts > 0 ? `${conflicts} file(s) kept as they are. ` : ""}Next: add the secrets CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID, ALCHEMY_PASSWORD, ALCHEMY_STATE_TOKEN and push.\n`);
    return EXIT.ok;
  },
});
