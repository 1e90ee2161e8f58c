// The npm package as users get it: `npm pack` (its prepack compiles the CLI), then the tarball installed into
// fresh consumer repositories by npm, pnpm, yarn and bun, each running the installed `alchkit`. The pnpm
// repository is a real app (Alchemy's hono template) and goes on to a local preview, on the oldest Node.js the
// kit supports when it is installed (the tools' node22), else on this Node.js.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { writeAppFiles } from "../../workflows-lib/alchemy/alchemy-templates.ts";
import { commandModules } from "../../workflows-lib/cli/commands/registry.ts";
import { fixtureFiles, PNPM_USES_ITSELF, REPO_ROOT } from "../support/app-fixtures.ts";
import { tool, toolsRequired } from "../support/tools.ts";

const KIT_BIN = path.join(REPO_ROOT, "node_modules", ".bin");
const kit = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string; engines: { node: string } };
const node22 = tool("node22", "running the installed CLI on the oldest Node.js the kit supports");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end (killed, with its children, after `timeoutMs`); never throws. */
function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }, options.timeoutMs ?? 120_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ code: -1, stdout, stderr: `${stderr}${error.message}` });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const shown = (r: Run) => `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

const scratch = mkdtempSync(path.join(tmpdir(), "alchkit-pack-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * PATH with `extra` first, then the package managers the kit ships, then the system's. HOME is the user's; pnpm
 * uses itself for the version `packageManager` pins (as the app fixtures' installs do), so nothing needs its
 * metadata cache.
 */
const envWith = (extra: string[] = []): NodeJS.ProcessEnv => ({
  PATH: [...extra, KIT_BIN, process.env.PATH].join(path.delimiter),
  HOME: process.env.HOME,
  DO_NOT_TRACK: "1",
  ALCHEMY_TELEMETRY_DISABLED: "1",
  YARN_ENABLE_TELEMETRY: "0",
  YARN_ENABLE_GLOBAL_CACHE: "0",
  npm_config_update_notifier: "false",
  ...PNPM_USES_ITSELF,
  FORCE_COLOR: "0",
});

interface Packed {
  tarball: string;
  files: string[];
  size: number;
  unpackedSize: number;
}
let packed: Packed;
/** The package `npm create alchkit` runs (packages/create-alchkit), packed beside the kit. */
let createTarball: string;

before(async () => {
  const out = mkdtempSync(path.join(scratch, "pack-"));
  const result = await run("npm", ["pack", "--json", "--pack-destination", out], { cwd: REPO_ROOT, env: envWith(), timeoutMs: 300_000 });
  assert.equal(result.code, 0, shown(result));
  const [info] = JSON.parse(result.stdout.slice(result.stdout.indexOf("["))) as { filename: string; size: number; unpackedSize: number; files: { path: string }[] }[];
  packed = { tarball: path.join(out, info!.filename), files: info!.files.map((f) => f.path).sort(), size: info!.size, unpackedSize: info!.unpackedSize };
  const create = await run("npm", ["pack", "--json", "--pack-destination", out], { cwd: path.join(REPO_ROOT, "packages/create-alchkit"), env: envWith() });
  assert.equal(create.code, 0, shown(create));
  createTarball = path.join(out, (JSON.parse(create.stdout.slice(create.stdout.indexOf("["))) as { filename: string }[])[0]!.filename);
});

test("npm create alchkit: the create-alchkit package runs the installed kit's `alchkit create` (new app written, committed, doctor clean)", async () => {
  const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, "packages/create-alchkit/package.json"), "utf8")) as { version: string; dependencies: Record<string, string> };
  assert.deepEqual([manifest.version, manifest.dependencies], [kit.version, { alchkit: kit.version }], "released with the kit, depending on exactly its version");
  // Both tarballs installed offline, as npm would fetch them from the registry; then `npm create` finds create-alchkit there.
  const dir = mkdtempSync(path.join(scratch, "create-"));
  writeFileSync(path.join(dir, "package.json"), `${JSON.stringify({ name: "tools", private: true })}\n`);
  const env = envWith();
  const add = await run("npm", ["install", "--offline", "--no-audit", "--no-fund", packed.tarball, createTarball], { cwd: dir, env });
  assert.equal(add.code, 0, shown(add));
  const created = await run("npm", ["create", "alchkit", "my-app", "--", "--skip-install"], { cwd: dir, env });
  assert.equal(created.code, 0, shown(created));
  assert.match(created.stdout, /from Alchemy [\d.]+'s hono template/);
  assert.match(created.stdout, /No hazards found\./);
  assert.match(created.stdout, /npx alchkit preview up --stage pr-1 --local/);
  for (const file of ["alchemy.run.ts", "src/openapi.ts", ".github/workflows/preview.yml", "alchkit.config.json", "load/scenario.json"]) assert.ok(existsSync(path.join(dir, "my-app", file)), file);
  const bad = await run("npm", ["create", "alchkit", "Bad_Name"], { cwd: dir, env });
  assert.equal(bad.code, 2, shown(bad));
  assert.match(bad.stderr, /NAME: expected an app name/);
});

test("the tarball holds the compiled CLI, the config module and the policy library, and nothing of the repository else", () => {
  const allowed = (file: string) =>
    file === "package.json" ||
    file === "README.md" ||
    file === "workflows-lib/cli/bin.js" ||
    /^workflows-lib\/policy\/library\/[a-z-]+\.rego$/.test(file) ||
    file.startsWith("dist/");
  assert.deepEqual(packed.files.filter((f) => !allowed(f)), []);
  // Alchemy's templates for `alchkit create` are sources of the new app (copied, never run by the kit).
  const template = (f: string) => f.startsWith("dist/alchemy/templates/");
  assert.deepEqual(packed.files.filter((f) => !template(f) && (f.endsWith("_test.rego") || (f.endsWith(".ts") && !f.endsWith(".d.ts")))), [], "no tests, no TypeScript to strip");
  for (const file of ["dist/alchemy/package.json", "dist/alchemy/templates/hono/alchemy.run.ts", "dist/alchemy/templates/hono/_gitignore"]) assert.ok(packed.files.includes(file), `${file} is in the tarball`);
  for (const file of ["dist/cli/main.js", "dist/config.js", "dist/config.d.ts", "dist/licenses.txt", "workflows-lib/policy/library/stage-isolation.rego", "dist/assets/swagger-ui-dist/swagger-ui-bundle.js"]) {
    assert.ok(packed.files.includes(file), `${file} is in the tarball`);
  }
  // Each command module stays its own chunk, imported when one of its commands runs: one dynamic import each.
  const registry = readFileSync(path.join(REPO_ROOT, "workflows-lib/cli/commands/registry.ts"), "utf8");
  const modules = [...registry.matchAll(/import\("\.\/([a-z-]+)\.ts"\)/g)].map((m) => m[1]!);
  assert.equal(modules.length, commandModules.length);
  const main = readFileSync(path.join(REPO_ROOT, "dist/cli/main.js"), "utf8");
  const lazy = new Set([...main.matchAll(/import\("\.\/([a-z-]+)-[A-Z0-9]+\.js"\)/g)].map((m) => m[1]!));
  assert.deepEqual(modules.filter((name) => !lazy.has(name)), [], "main.js imports each command module lazily");
  const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as Record<string, unknown>;
  assert.equal(manifest.dependencies, undefined, "everything the CLI runs is compiled into dist/: no dependencies to install");
  assert.equal(manifest.private, undefined);
  assert.deepEqual(manifest.exports, { "./config": { types: "./dist/config.d.ts", default: "./dist/config.js" }, "./package.json": "./package.json" });
  assert.match(String((manifest.repository as { url?: string }).url), /github\.com\/alchkit\/alchkit/, "provenance needs the repository");
});

type Manager = "npm" | "pnpm" | "yarn" | "bun";

/** Adds the tarball as a devDependency, and the command that runs the installed `alchkit`. */
const INSTALL: Record<Manager, (tarball: string) => string[]> = {
  npm: (tarball) => ["npm", "install", "--save-dev", "--offline", "--no-audit", "--no-fund", tarball],
  pnpm: (tarball) => ["pnpm", "add", "--save-dev", "--offline", `alchkit@file:${tarball}`],
  yarn: (tarball) => ["yarn", "add", "--dev", `alchkit@file:${tarball}`],
  bun: (tarball) => ["bun", "add", "--dev", `alchkit@file:${tarball}`],
};
const EXEC: Record<Manager, string[]> = { npm: ["npm", "exec", "--no", "--"], pnpm: ["pnpm", "exec"], yarn: ["yarn", "exec"], bun: ["bun", "x", "--no-install"] };

/**
 * A fresh consumer repository: Alchemy's hono template as the pnpm fixture instantiates it (its dependencies
 * linked to the kit's installed copies, so installs stay offline), under git, with `packageManager` set to `manager`.
 */
function consumerRepo(manager: Manager): string {
  const dir = mkdtempSync(path.join(scratch, `${manager}-`));
  const files = fixtureFiles("pnpm");
  const manifest = JSON.parse(String(files["package.json"])) as Record<string, unknown>;
  const version = () => (JSON.parse(readFileSync(path.join(REPO_ROOT, "node_modules", manager === "yarn" ? "@yarnpkg/cli-dist" : manager, "package.json"), "utf8")) as { version: string }).version;
  if (manager === "pnpm") {
    writeAppFiles(dir, files);
  } else {
    // Only pnpm installs the app itself here (the preview runs there); the others get its files, not its dependencies.
    const { dependencies: _d, devDependencies: _dd, pnpm: _p, ...rest } = manifest;
    const kept = Object.fromEntries(Object.entries(files).filter(([file]) => file !== "pnpm-lock.yaml" && file !== "pnpm-workspace.yaml"));
    writeAppFiles(dir, { ...kept, "package.json": `${JSON.stringify({ ...rest, ...(manager === "npm" ? {} : { packageManager: `${manager}@${version()}` }) }, null, 2)}\n` });
  }
  if (manager === "yarn") {
    writeFileSync(path.join(dir, "yarn.lock"), "");
    writeFileSync(path.join(dir, ".yarnrc.yml"), "enableTelemetry: false\n");
  }
  return dir;
}

/** `alchkit/config` as an editor sees it from the installed package: a good config checks, a wrong one does not. */
async function typesOfConfig(dir: string): Promise<void> {
  const check = path.join(dir, "config-check");
  mkdirSync(check);
  const write = (name: string, body: string) => writeFileSync(path.join(check, name), `import { defineConfig } from "alchkit/config";\nexport default defineConfig(${body});\n`);
  write("good.ts", `{ preview: { healthPath: "/health" }, rollout: { production: { strategy: "progressive", stages: [{ traffic: 10 }, { traffic: 50 }] } } }`);
  write("wrong-type.ts", `{ preview: { healthPath: 404 } }`);
  write("stages-down.ts", `{ rollout: { production: { strategy: "progressive", stages: [{ traffic: 50 }, { traffic: 10 }] } } }`);
  const tsc = (file: string) =>
    run(process.execPath, [path.join(REPO_ROOT, "node_modules/typescript/bin/tsc"), "--noEmit", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2023", path.join(check, file)], { cwd: dir, env: envWith() });
  const [good, wrongType, stagesDown] = await Promise.all([tsc("good.ts"), tsc("wrong-type.ts"), tsc("stages-down.ts")]);
  assert.equal(good.code, 0, shown(good));
  assert.notEqual(wrongType.code, 0);
  assert.match(wrongType.stdout, /wrong-type\.ts.*Type 'number' is not assignable to type 'string'/s);
  assert.notEqual(stagesDown.code, 0, "stages that do not go up are flagged by the editor");
  assert.match(stagesDown.stdout, /stages-down\.ts/);
}

describe("installed from the tarball", { concurrency: true }, () => {
  for (const manager of ["npm", "pnpm", "yarn", "bun"] as const) {
    const title =
      manager === "pnpm"
        ? "pnpm: install, --version, --help, init, doctor and a local preview from the installed package, on Node.js 22 when installed"
        : `${manager}: install, --version, --help, init and doctor from the installed package${manager === "npm" ? ", and alchkit/config's types" : ""}`;
    test(title, async (t) => {
      const dir = consumerRepo(manager);
      // pnpm's run goes on Node.js 22 (a folder whose `node` is it: pnpm, the CLI and Alchemy all start on it).
      const extra: string[] = [];
      // Absent, it runs on this Node.js; under ALCHKIT_REQUIRE_TOOLS=1 (CI) its absence fails the test, naming it.
      if (manager === "pnpm" && (node22.path || toolsRequired())) {
        const bin = mkdtempSync(path.join(scratch, "node22-"));
        symlinkSync(node22.require(), path.join(bin, "node"));
        extra.push(bin);
      }
      const env = envWith(extra);
      if (manager === "pnpm") {
        const installed = await run("pnpm", ["install", "--offline"], { cwd: dir, env });
        assert.equal(installed.code, 0, shown(installed));
      }
      const [command, ...args] = INSTALL[manager](packed.tarball);
      const add = await run(command!, args, { cwd: dir, env });
      assert.equal(add.code, 0, shown(add));
      const alchkit = (argv: string[], timeoutMs?: number) =>
        run(EXEC[manager][0]!, [...EXEC[manager].slice(1), "alchkit", ...argv], { cwd: dir, env, ...(timeoutMs ? { timeoutMs } : {}) });

      const version = await alchkit(["--version"]);
      assert.equal(version.code, 0, shown(version));
      assert.equal(version.stdout.trim().split("\n").at(-1), kit.version);
      const help = await alchkit(["--help"]);
      assert.equal(help.code, 0, shown(help));
      assert.match(help.stdout, /preview up/);
      assert.match(help.stdout, /init/);
      const init = await alchkit(["init"]);
      assert.equal(init.code, 0, shown(init));
      const preview = readFileSync(path.join(dir, ".github/workflows/preview.yml"), "utf8");
      assert.match(preview, /uses: alchkit\/alchkit\/\.github\/workflows\/preview\.yml@v/);
      assert.ok(existsSync(path.join(dir, "alchkit.config.json")));
      const doctor = await alchkit(["doctor", "--format", "json"]);
      assert.ok(doctor.code === 0 || doctor.code === 1, shown(doctor));
      assert.ok(Array.isArray((JSON.parse(doctor.stdout) as { findings: unknown[] }).findings), shown(doctor));
      if (manager === "npm") {
        // What npm installed: the kit and nothing else (no TypeScript loader, no dependency tree).
        assert.deepEqual(readdirSync(path.join(dir, "node_modules")).filter((name) => !name.startsWith(".")), ["alchkit"]);
        await typesOfConfig(dir);
      }
      if (manager !== "pnpm") return;

      const nodeVersion = await run("pnpm", ["exec", "node", "--version"], { cwd: dir, env });
      assert.match(nodeVersion.stdout, node22.path ? /^v22\./ : /^v\d+\./);
      const stage = `pk-${randomBytes(3).toString("hex")}`;
      t.after(() => alchkit(["preview", "down", "--stage", stage, "--local"]).then(() => undefined));
      const up = await alchkit(["preview", "up", "--stage", stage, "--local", "--detach", "--health-path", "/"], 180_000);
      assert.equal(up.code, 0, shown(up));
      const base = Object.values((JSON.parse(up.stdout) as { urls: Record<string, string> }).urls)[0]!;
      assert.equal((await fetch(base)).status, 200);
      assert.match(readFileSync(path.join(dir, ".alchkit/out/comment-preview.md"), "utf8"), new RegExp(`Preview ready: \`${stage}\``));
      const down = await alchkit(["preview", "down", "--stage", stage, "--local"]);
      assert.equal(down.code, 0, shown(down));
      assert.deepEqual(JSON.parse(down.stdout), { stage, urls: {} });
    });
  }
});
