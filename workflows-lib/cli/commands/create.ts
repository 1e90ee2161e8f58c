import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { defineCommand, type CliContext } from "../command.ts";
import { EXIT, InputError } from "../../errors.ts";
import { CONFIG_FILE } from "../../config/config-schema.ts";
import { checkAppName, planCreate, starterOf } from "../../create/plan-create.ts";
import { STARTERS, STARTER_NAMES } from "../../create/starters.ts";
import { initialConfig } from "../../init/plan-init.ts";
import { configFile } from "../../init/templates.ts";
import { readKitAlchemyTemplate, writeAppFiles } from "../../alchemy/alchemy-templates.ts";
import { runGit } from "../../local/git.ts";
import { kitRoot } from "../../local/kit-root.ts";
import { doctorCommand } from "./doctor.ts";
import { DEFAULT_KIT_REF, initCommand } from "./init.ts";

const INSTALL: Record<"npm" | "pnpm" | "yarn" | "bun", string[]> = {
  npm: ["npm", "install", "--no-audit", "--no-fund"],
  pnpm: ["pnpm", "install"],
  yarn: ["yarn", "install"],
  bun: ["bun", "install"],
};

/** Runs the package manager's install in the new app, its output passed through to stderr; resolves its exit code. */
function install(dir: string, command: string[], ctx: CliContext): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command[0]!, command.slice(1), { cwd: dir, env: ctx.env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", (chunk: Buffer) => ctx.stderr(chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => ctx.stderr(chunk.toString()));
    child.on("error", (error) => {
      ctx.stderr(`${command[0]}: ${error.message}\n`);
      resolve(127);
    });
    child.on("close", (code) => resolve(code ?? 1));
  });
}

/**
 * The version of the package manager on PATH, pinned in package.json `packageManager` (pnpm, yarn and bun: what
 * the setup action installs in CI). Absent: the one clear error, before anything is written.
 */
function packageManagerVersion(name: string, ctx: CliContext): string {
  const result = spawnSync(name, ["--version"], { cwd: ctx.cwd, env: ctx.env, encoding: "utf8", timeout: 30_000 });
  const version = result.status === 0 ? /\d+\.\d+\.\d+(?:-[\w.]+)?/.exec(result.stdout)?.[0] : undefined;
  if (!version) throw new InputError("--package-manager", `${name} installed and on PATH (its version is pinned in package.json)`, `\`${name} --version\` ${result.error ? `could not start: ${result.error.message}` : `exited ${result.status}`}`);
  return version;
}

/** The first commit; an unconfigured git identity gets a neutral one for this commit only (said so). */
async function firstCommit(dir: string, ctx: CliContext): Promise<void> {
  const ok = async (args: string[]) => {
    const result = await runGit(dir, args, ctx.env);
    if (result.code !== 0) throw new Error(`git ${args.join(" ")} failed in ${dir}: ${result.stderr.trim() || `exit ${result.code}`}`);
    return result.stdout;
  };
  await ok(["init", "--quiet", "--initial-branch=main"]);
  await ok(["add", "--all"]);
  const identity = (await runGit(dir, ["config", "user.email"], ctx.env)).code === 0 ? [] : ["-c", "user.name=alchkit create", "-c", "user.email=create@alchkit.invalid"];
  if (identity.length > 0) ctx.stderr("git has no user.email configured: the first commit is authored as \"alchkit create\" (git commit --amend --reset-author changes it)\n");
  await ok([...identity, "commit", "--quiet", "--no-verify", "-m", "New Alchemy app with alchkit's workflows (alchkit create)"]);
}

export const createCommand = defineCommand({
  path: ["create"],
  summary: "Start a new app from one of Alchemy's templates, with the kit's workflows, a health route, an OpenAPI description and a load test",
  description:
    "Writes NAME/ (which must not exist or be empty) from Alchemy's own template, adds a /health route and an OpenAPI description " +
    "served at /openapi.json, then what `alchkit init` writes (workflows, alchkit.config.json, load test, README section), " +
    "installs with the package manager, makes the first git commit and runs `alchkit doctor`. " +
    `Templates: ${STARTER_NAMES.map((n) => `${n}, ${STARTERS[n]!.description}`).join("; ")}. Also \`npm create alchkit NAME\`.`,
  positionals: [{ name: "NAME", description: "The app's name and folder: lowercase letters, digits and hyphens", required: true }],
  flags: z.object({
    template: z.string().default("hono").describe(`Alchemy template: ${STARTER_NAMES.join(", ")}`),
    packageManager: z.enum(["npm", "pnpm", "yarn", "bun"], { error: "npm, pnpm, yarn or bun" }).default("npm").describe("Package manager that installs the app and that its workflows use"),
    dir: z.string().optional().describe("Folder to create the app in (default ./NAME)"),
    skipInstall: z.boolean().optional().describe("Write and commit the app without installing its dependencies (install them yourself before running it)"),
    kitRef: z.string().regex(/^v\d+(\.\d+){0,2}$/, { error: "a release tag such as v1 or v1.2.3" }).default(DEFAULT_KIT_REF).describe("Release of alchkit the workflows call"),
  }),
  examples: ["alchkit create my-app", "alchkit create my-site --template vite", "alchkit create my-api --template hono --package-manager pnpm", "npm create alchkit my-app -- --template react-router"],
  async run({ flags, positionals }, ctx) {
    const name = checkAppName(positionals[0]!);
    const starter = starterOf(flags.template);
    const target = path.resolve(ctx.cwd, flags.dir ?? name);
    if (existsSync(target) && (!statSync(target).isDirectory() || readdirSync(target).length > 0)) {
      throw new InputError(flags.dir ? "--dir" : "NAME", "a folder that does not exist yet or is empty", `${target} is not empty`);
    }
    const pm = flags.packageManager;
    const pmVersion = pm === "npm" ? undefined : packageManagerVersion(pm, ctx);
    const { files, alchemyVersion } = readKitAlchemyTemplate(starter.template, kitRoot());
    const appFiles = planCreate({ name, starter, template: files, alchemyVersion, packageManager: { name: pm, ...(pmVersion ? { version: pmVersion } : {}) } });
    // The configuration init would write for this app, plus where its OpenAPI description is: init keeps it.
    const config = initialConfig({ appDirectory: ".", entry: "alchemy.run.ts", packageManager: pm, existing: {} }, { healthPath: starter.healthPath });
    appFiles[CONFIG_FILE] = configFile({ ...config, openapi: { ...config.openapi, source: starter.openapiPath } });
    writeAppFiles(target, appFiles);
    ctx.stdout(`created ${path.relative(ctx.cwd, target) || "."}/ from Alchemy ${alchemyVersion}'s ${starter.template} template (${starter.description})\n`);

    let initOut = "";
    const initCode = await initCommand.run(
      { flags: { dir: target, kitRef: flags.kitRef, healthPath: starter.healthPath }, positionals: [] },
      { ...ctx, isTTY: false, stdout: (text) => void (initOut += text) },
    );
    if (initCode !== EXIT.ok) {
      ctx.stdout(initOut);
      return initCode;
    }
    // init's file list (its doctor and GitHub hints come after the install, from doctor itself)
    ctx.stdout(`${initOut.slice(0, initOut.indexOf("\nalchkit doctor")).trimEnd().replace(/^/gm, "  ")}\n`);

    if (flags.skipInstall) {
      ctx.stdout(`not installed (--skip-install): run \`${INSTALL[pm].join(" ")}\` in ${name}/ and commit its lockfile\n`);
    } else {
      ctx.stdout(`installing with ${pm}…\n`);
      const code = await install(target, INSTALL[pm], ctx);
      if (code !== 0) {
        ctx.stderr(`\`${INSTALL[pm].join(" ")}\` failed (exit ${code}) in ${target}: the app is written but not installed or committed; fix the install and run it again there, then \`git init && git add -A && git commit\`.\n`);
        return EXIT.gateFailed;
      }
    }
    await firstCommit(target, ctx);
    ctx.stdout("committed: the first commit on main\n\nalchkit doctor:\n");
    const doctorCode = await doctorCommand.run({ flags: { dir: target, format: "markdown" }, positionals: [] }, ctx);
    const cd = path.relative(ctx.cwd, target) || ".";
    ctx.stdout(`\nNext:\n  cd ${cd}\n  npx alchkit preview up --stage pr-1 --local\n(docs/getting-started.md goes on from there: load gate, OpenAPI check, then GitHub.)\n`);
    return doctorCode;
  },
});
