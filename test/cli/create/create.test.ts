// `alchkit create` per template, to a green local pipeline: create → preview up --local (`alchemy dev`) →
// /health (and a static asset for a website) → load gate (the kit's own engine) → OpenAPI generate + validate →
// preview down, leaving no stage, process, port or Alchemy folder.
// - hono (the default) is created under test/fixtures/apps/.built (git ignores it) with --skip-install, so Node
//   resolves the kit's installed packages from there: no registry install.
// - vite is the website shape (a Vite + React site with static assets and an API Worker, its Worker on workerd
//   inside `vite dev`): its packages are not the kit's, so it is created in a temporary folder and installed from
//   the npm registry by create's own install step, then run through the same pipeline.
// - react-router (and every template) is created with --skip-install and must pass doctor: cheap. Its full
//   pipeline, with install, is in bench/create.ts.
// Bad input: one error, exit 2, nothing written.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { runGit } from "../../../workflows-lib/local/git.ts";
import { STARTERS, STARTER_NAMES } from "../../../workflows-lib/create/starters.ts";
import { planCreate } from "../../../workflows-lib/create/plan-create.ts";
import { readKitAlchemyTemplate } from "../../../workflows-lib/alchemy/alchemy-templates.ts";
import { alchkitInProcess } from "../../support/cli.ts";
import { deployChain } from "../../support/deploy-chain.ts";
import { FIXTURES_DIR, REPO_ROOT } from "../../support/app-fixtures.ts";

const BUILT = path.join(FIXTURES_DIR, ".built");
const env = { PATH: [path.join(REPO_ROOT, "node_modules", ".bin"), process.env.PATH].join(path.delimiter), ALCHEMY_TELEMETRY_DISABLED: "1" };
const scratch = () => {
  const dir = path.join(BUILT, `create-${process.pid}-${randomBytes(3).toString("hex")}`);
  mkdirSync(dir, { recursive: true });
  return dir;
};

const portOpen = (url: string) =>
  new Promise<boolean>((resolve) => {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname, () => (socket.destroy(), resolve(true)));
    socket.on("error", () => resolve(false));
  });

test("bad input: a bad name, an unknown template (listing the known ones), a non-empty folder — one error, exit 2, nothing written", async (t) => {
  const cwd = scratch();
  t.after(() => rmSync(cwd, { recursive: true, force: true }));
  const name = await alchkitInProcess(["create", "My_App"], { cwd, env });
  assert.equal(name.code, 2);
  assert.match(name.stderr, /NAME.*lowercase letters, digits and single hyphens.*"My_App"/);
  const template = await alchkitInProcess(["create", "my-app", "--template", "nope"], { cwd, env });
  assert.equal(template.code, 2);
  assert.match(template.stderr, new RegExp(`--template.*one of: ${STARTER_NAMES.join(", ")}.*nope`));
  assert.deepEqual(readdirSync(cwd), [], "nothing written");
  mkdirSync(path.join(cwd, "taken"));
  writeFileSync(path.join(cwd, "taken", "notes.txt"), "mine\n");
  const taken = await alchkitInProcess(["create", "taken"], { cwd, env });
  assert.equal(taken.code, 2);
  assert.match(taken.stderr, /NAME.*does not exist yet or is empty.*taken is not empty/);
  assert.deepEqual(readdirSync(path.join(cwd, "taken")), ["notes.txt"]);
  const noPnpm = await alchkitInProcess(["create", "my-app", "--package-manager", "pnpm"], { cwd, env: { ...env, PATH: path.dirname(process.execPath) } });
  assert.equal(noPnpm.code, 2, noPnpm.stderr);
  assert.match(noPnpm.stderr, /--package-manager: expected pnpm installed and on PATH/);
  assert.deepEqual(readdirSync(cwd), ["taken"], "nothing written");
});

test("--package-manager pnpm pins the pnpm on PATH and lets it build workerd and esbuild in the way that pnpm reads (CI's frozen install)", async (t) => {
  const cwd = scratch();
  t.after(() => rmSync(cwd, { recursive: true, force: true }));
  const created = await alchkitInProcess(["create", "my-app", "--package-manager", "pnpm", "--skip-install"], { cwd, env });
  assert.equal(created.code, 0, created.stdout + created.stderr);
  const pnpmVersion = (JSON.parse(readFileSync(path.join(REPO_ROOT, "node_modules/pnpm/package.json"), "utf8")) as { version: string }).version;
  const manifest = JSON.parse(readFileSync(path.join(cwd, "my-app", "package.json"), "utf8")) as { packageManager: string; pnpm?: { onlyBuiltDependencies?: string[] } };
  assert.equal(manifest.packageManager, `pnpm@${pnpmVersion}`);
  assert.ok(Number(pnpmVersion.split(".")[0]) >= 11, "the kit's pnpm reads allowBuilds");
  // pnpm 11+ reads only allowBuilds in pnpm-workspace.yaml: with onlyBuiltDependencies alone its install failed
  // (ERR_PNPM_IGNORED_BUILDS: esbuild, sharp, workerd).
  assert.equal(readFileSync(path.join(cwd, "my-app", "pnpm-workspace.yaml"), "utf8").replace(/^#.*\n/gm, ""), "allowBuilds:\n  esbuild: true\n  sharp: true\n  workerd: true\n");
  assert.equal(manifest.pnpm?.onlyBuiltDependencies, undefined, "nothing pnpm ignores");
  assert.match(created.stdout, /run `pnpm install` in my-app\//);
  // pnpm 10 reads package.json's onlyBuiltDependencies (and has no allowBuilds).
  const { files, alchemyVersion } = readKitAlchemyTemplate("hono", REPO_ROOT);
  const pnpm10 = planCreate({ name: "my-app", starter: STARTERS.hono!, template: files, alchemyVersion, packageManager: { name: "pnpm", version: "10.12.1" } });
  assert.deepEqual((JSON.parse(pnpm10["package.json"] as string) as { pnpm: { onlyBuiltDependencies: string[] } }).pnpm.onlyBuiltDependencies, ["esbuild", "sharp", "workerd"]);
  assert.equal(pnpm10["pnpm-workspace.yaml"], undefined);
});

test("every template: create --skip-install writes the kit's files and edits into Alchemy's template, and doctor finds nothing", async (t) => {
  const cwd = scratch();
  t.after(() => rmSync(cwd, { recursive: true, force: true }));
  for (const template of STARTER_NAMES.filter((name) => STARTERS[name]!.needsInstall)) {
    const created = await alchkitInProcess(["create", template, "--template", template, "--skip-install"], { cwd, env });
    assert.equal(created.code, 0, created.stdout + created.stderr);
    assert.match(created.stdout, /No hazards found\./, `${template}: doctor finds nothing on a new app`);
    const app = path.join(cwd, template);
    const viteConfig = readFileSync(path.join(app, "vite.config.ts"), "utf8");
    assert.match(viteConfig, /server: \{ port: Number\(process\.env\.ALCHKIT_DEV_PORT\), strictPort: true \}/, `${template}: Vite listens on the stage's port`);
    assert.match(viteConfig, /plugins: \[/, `${template}: the rest of vite.config.ts is Alchemy's`);
    assert.equal((await runGit(app, ["status", "--porcelain"])).stdout, "", `${template}: everything is in the first commit`);
  }
  const reactRouter = path.join(cwd, "react-router");
  assert.match(readFileSync(path.join(reactRouter, "workers/app.ts"), "utf8"), /if \(url\.pathname === "\/health"\)[\s\S]*return requestHandler\(request/, "the kit's routes come before React Router's handler");
  assert.match(readFileSync(path.join(reactRouter, "react-router.config.ts"), "utf8"), /v8_viteEnvironmentApi: true/);
  const manifest = JSON.parse(readFileSync(path.join(reactRouter, "package.json"), "utf8")) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
  assert.deepEqual([manifest.dependencies["react-router"], manifest.devDependencies["@react-router/dev"]], ["^7.10.0", "^7.10.0"], "a React Router that takes the stabilized flag");
  assert.match(readFileSync(path.join(cwd, "vite", "src/worker.ts"), "utf8"), /if \(url\.pathname === "\/health"\)[\s\S]*url\.pathname\.startsWith\("\/api\/"\)/, "the kit's routes come before the template's API route");
});

/**
 * create → preview up → /health (and the starter's static asset) → load gate → OpenAPI check → preview down,
 * leaving nothing; `install` runs create's own install step (from the npm registry) instead of --skip-install.
 */
async function createToGreenPipeline(t: import("node:test").TestContext, template: string, cwd: string, runEnv: NodeJS.ProcessEnv, install: boolean, removeFolder: () => void) {
  const starter = STARTERS[template]!;
  // One hook, in this order: a stage still up (a failed assertion) is stopped while its folder and records exist.
  let down = true;
  let chainStop: (() => unknown) | undefined;
  t.after(async () => {
    if (!down) await alchkitInProcess(["preview", "down", "--stage", "pr-1", "--local"], { cwd: path.join(cwd, "my-app"), env: runEnv });
    await chainStop?.();
    removeFolder();
  });
  const started = performance.now();
  const created = await alchkitInProcess(["create", "my-app", "--template", template, ...(install ? [] : ["--skip-install"])], { cwd, env: runEnv });
  assert.equal(created.code, 0, created.stdout + created.stderr);
  const app = path.join(cwd, "my-app");
  assert.match(created.stdout, /npx alchkit preview up --stage pr-1 --local/, "prints the next command");
  assert.match(created.stdout, /No hazards found\./, "doctor finds nothing on a new app");
  // The repository init would make of it, committed.
  for (const file of [".github/workflows/preview.yml", ".github/workflows/ci.yml", "alchkit.config.json", "load/scenario.json", "load/thresholds.json"]) {
    assert.ok(existsSync(path.join(app, file)), `${file} written`);
  }
  const config = JSON.parse(readFileSync(path.join(app, "alchkit.config.json"), "utf8")) as { preview: { healthPath: string }; openapi: { source: string } };
  assert.deepEqual([config.preview.healthPath, config.openapi.source], ["/health", "/openapi.json"]);
  const manifest = JSON.parse(readFileSync(path.join(app, "package.json"), "utf8")) as { name: string; private: boolean };
  assert.deepEqual([manifest.name, manifest.private], ["my-app", true]);
  if (install) {
    assert.ok(existsSync(path.join(app, "package-lock.json")), "installed: its lockfile");
    assert.equal((await runGit(app, ["ls-files", "package-lock.json"])).stdout.trim(), "package-lock.json", "the lockfile is in the first commit");
  }
  const status = await runGit(app, ["status", "--porcelain"]);
  assert.equal(status.stdout, "", "everything is in the first commit (node_modules ignored)");
  assert.match((await runGit(app, ["log", "--format=%s"])).stdout, /alchkit create/);
  assert.equal((await runGit(app, ["ls-files", ".env"])).stdout, "", ".env (its password) is not committed");
  const createdAt = performance.now();

  down = false;
  const up = await alchkitInProcess(["preview", "up", "--stage", "pr-1", "--local", "--detach"], { cwd: app, env: runEnv });
  assert.equal(up.code, 0, up.stdout + up.stderr);
  const url = Object.values((JSON.parse(up.stdout.trim().split("\n").at(-1)!) as { urls: Record<string, string> }).urls)[0]!.replace(/\/$/, "");
  const health = await fetch(`${url}/health`);
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { ok: true });
  if (starter.assetPath) {
    const asset = await fetch(`${url}${starter.assetPath}`);
    assert.equal(asset.status, 200, `${starter.assetPath} is served`);
    assert.deepEqual(Buffer.from(await asset.arrayBuffer()), readFileSync(path.join(app, "public", starter.assetPath)), `${starter.assetPath} is the template's file`);
    const page = await fetch(`${url}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type") ?? "", /text\/html/, "the website's page");
  }

  // A website's local preview answers through `vite dev` (its middleware, then workerd): on a loaded machine its
  // p(95) misses the app's 200 ms, which is meant for the deployed Worker. The gate's run is judged on failed
  // answers there; the API Worker (hono) keeps the app's own thresholds file.
  const thresholds = starter.assetPath ? ".alchkit/failed-answers.json" : "load/thresholds.json";
  if (starter.assetPath) writeFileSync(path.join(app, thresholds), `${JSON.stringify({ http_req_failed: ["rate<0.01"] })}\n`);
  const gate = await alchkitInProcess(["load-gate", "run", "--url", url, "--script", "load/scenario.json", "--thresholds", thresholds, "--duration", "2s"], { cwd: app, env: runEnv });
  assert.equal(gate.code, 0, gate.stdout + gate.stderr);
  const generated = await alchkitInProcess(["openapi", "generate", "--url", `${url}/openapi.json`, "--out", ".alchkit/openapi.json"], { cwd: app, env: runEnv });
  assert.equal(generated.code, 0, generated.stdout + generated.stderr);
  const valid = await alchkitInProcess(["openapi", "validate", ".alchkit/openapi.json"], { cwd: app, env: runEnv });
  assert.equal(valid.code, 0, valid.stdout + valid.stderr);
  assert.match(valid.stdout, /valid OpenAPI 3\.1\.0 \(2 paths/);

  const stopped = await alchkitInProcess(["preview", "down", "--stage", "pr-1", "--local"], { cwd: app, env: runEnv });
  down = true;
  assert.equal(stopped.code, 0, stopped.stdout + stopped.stderr);
  assert.equal(await portOpen(url), false, "the port is closed");
  const devDir = path.join(app, ".alchkit", "dev");
  assert.deepEqual(existsSync(devDir) ? readdirSync(devDir).filter((f) => f.startsWith("pr-1")) : [], [], "no detached record left");
  assert.equal(existsSync(path.join(app, ".alchemy")), false, "no Alchemy folder left (state, Miniflare data, the website's wrangler file)");
  t.diagnostic(`${template}: create ${((createdAt - started) / 1000).toFixed(1)} s${install ? " (with install)" : ""}, green local pipeline ${((performance.now() - createdAt) / 1000).toFixed(1)} s`);
  if (template === "vite") {
    // The website shape also goes deploy → promote → rollback, its API Worker's answer telling the SHAs apart.
    const chainStarted = performance.now();
    await deployChain({ after: (stop) => void (chainStop = stop) }, {
      dir: app,
      healthPath: "/health",
      change: { "src/worker.ts": readFileSync(path.join(app, "src/worker.ts"), "utf8").replace('name: "Cloudflare"', 'name: "B"') },
      served: async (url) => ((await (await fetch(new URL("/api/name", url))).json()) as { name: string }).name,
      expect: { A: "Cloudflare", B: "B" },
    });
    t.diagnostic(`${template}: deploy → promote → rollback ${((performance.now() - chainStarted) / 1000).toFixed(1)} s`);
  }
}

test("hono: create → preview up --local → /health → load gate → OpenAPI check → preview down, leaving nothing", async (t) => {
  const cwd = scratch();
  await createToGreenPipeline(t, "hono", cwd, env, false, () => rmSync(cwd, { recursive: true, force: true }));
});

for (const template of ["vite", "react-router"]) {
  test(`${template} (the website shape): create, installed from the npm registry → preview up --local → /health and a static asset → load gate → OpenAPI check → preview down, leaving nothing${template === "vite" ? "; deploy → promote → rollback" : ""}`, async (t) => {
    // Outside the kit's tree: the app resolves only what its own install put in its node_modules.
    const cwd = mkdtempSync(path.join(tmpdir(), "alchkit-create-"));
    // Its node_modules is about 1 GB in some 30,000 files: removing it took 10–30 s on a loaded machine, so it is
    // removed by a process of its own that the test does not wait for.
    const removeFolder = () => spawn("rm", ["-rf", cwd], { detached: true, stdio: "ignore" }).unref();
    // npm's cache answers what it holds without asking the registry again: the second website installs mostly
    // from what the first one fetched (alchemy, vite, the Cloudflare plugin, workerd).
    const installEnv = { ...env, HOME: process.env.HOME ?? tmpdir(), npm_config_prefer_offline: "true", npm_config_update_notifier: "false" };
    await createToGreenPipeline(t, template, cwd, installEnv, true, removeFolder);
  });
}
