// `alchkit create` per template, to a green local pipeline: create → preview up --local (workerd through
// `alchemy dev`) → /health → load gate (the kit's own engine) → OpenAPI generate + validate → preview down,
// leaving no stage, process or port. The app is created under test/fixtures/apps/.built (git ignores it) with
// --skip-install, so Node resolves the kit's installed packages from there (the fixtures' npm shape): an offline
// run without a registry install. Bad input: one error, exit 2, nothing written.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import path from "node:path";
import { runGit } from "../../../workflows-lib/local/git.ts";
import { STARTER_NAMES } from "../../../workflows-lib/create/starters.ts";
import { alchkitInProcess } from "../../support/cli.ts";
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

test("--package-manager pnpm pins the pnpm on PATH and lets it build workerd and esbuild (CI's frozen install)", async (t) => {
  const cwd = scratch();
  t.after(() => rmSync(cwd, { recursive: true, force: true }));
  const created = await alchkitInProcess(["create", "my-app", "--package-manager", "pnpm", "--skip-install"], { cwd, env });
  assert.equal(created.code, 0, created.stdout + created.stderr);
  const pnpmVersion = (JSON.parse(readFileSync(path.join(REPO_ROOT, "node_modules/pnpm/package.json"), "utf8")) as { version: string }).version;
  const manifest = JSON.parse(readFileSync(path.join(cwd, "my-app", "package.json"), "utf8")) as { packageManager: string; pnpm: { onlyBuiltDependencies: string[] } };
  assert.equal(manifest.packageManager, `pnpm@${pnpmVersion}`);
  assert.deepEqual(manifest.pnpm.onlyBuiltDependencies, ["esbuild", "sharp", "workerd"]);
  assert.match(created.stdout, /run `pnpm install` in my-app\//);
});

for (const template of STARTER_NAMES) {
  test(`${template}: create → preview up --local → /health → load gate → OpenAPI check → preview down, leaving nothing`, async (t) => {
    const cwd = scratch();
    t.after(() => rmSync(cwd, { recursive: true, force: true }));
    const started = performance.now();
    const created = await alchkitInProcess(["create", "my-app", "--template", template, "--skip-install"], { cwd, env });
    assert.equal(created.code, 0, created.stdout + created.stderr);
    const app = path.join(cwd, "my-app");
    assert.match(created.stdout, /npx alchkit preview up --stage pr-1 --local/, "prints the next command");
    assert.match(created.stdout, /No hazards found\./, "doctor finds nothing on a new app");
    // The repository init would make of it, committed.
    for (const file of [".github/workflows/preview.yml", ".github/workflows/ci.yml", "alchkit.config.json", "load/scenario.json", "load/thresholds.json", "src/openapi.ts"]) {
      assert.ok(existsSync(path.join(app, file)), `${file} written`);
    }
    const config = JSON.parse(readFileSync(path.join(app, "alchkit.config.json"), "utf8")) as { preview: { healthPath: string }; openapi: { source: string } };
    assert.deepEqual([config.preview.healthPath, config.openapi.source], ["/health", "/openapi.json"]);
    const manifest = JSON.parse(readFileSync(path.join(app, "package.json"), "utf8")) as { name: string; private: boolean };
    assert.deepEqual([manifest.name, manifest.private], ["my-app", true]);
    const status = await runGit(app, ["status", "--porcelain"]);
    assert.equal(status.stdout, "", "everything is in the first commit");
    assert.match((await runGit(app, ["log", "--format=%s"])).stdout, /alchkit create/);
    assert.equal((await runGit(app, ["ls-files", ".env"])).stdout, "", ".env (its password) is not committed");
    const createdAt = performance.now();

    const up = await alchkitInProcess(["preview", "up", "--stage", "pr-1", "--local", "--detach"], { cwd: app, env });
    let down = false;
    t.after(async () => {
      if (!down) await alchkitInProcess(["preview", "down", "--stage", "pr-1", "--local"], { cwd: app, env });
    });
    assert.equal(up.code, 0, up.stdout + up.stderr);
    const url = Object.values((JSON.parse(up.stdout.trim().split("\n").at(-1)!) as { urls: Record<string, string> }).urls)[0]!.replace(/\/$/, "");
    const health = await fetch(`${url}/health`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { ok: true });

    const gate = await alchkitInProcess(["load-gate", "run", "--url", url, "--script", "load/scenario.json", "--thresholds", "load/thresholds.json", "--duration", "2s"], { cwd: app, env });
    assert.equal(gate.code, 0, gate.stdout + gate.stderr);
    const generated = await alchkitInProcess(["openapi", "generate", "--url", `${url}/openapi.json`, "--out", "openapi.json"], { cwd: app, env });
    assert.equal(generated.code, 0, generated.stdout + generated.stderr);
    const valid = await alchkitInProcess(["openapi", "validate", "openapi.json"], { cwd: app, env });
    assert.equal(valid.code, 0, valid.stdout + valid.stderr);
    assert.match(valid.stdout, /valid OpenAPI 3\.1\.0 \(2 paths/);

    const stopped = await alchkitInProcess(["preview", "down", "--stage", "pr-1", "--local"], { cwd: app, env });
    down = true;
    assert.equal(stopped.code, 0, stopped.stdout + stopped.stderr);
    assert.equal(await portOpen(url), false, "the port is closed");
    const devDir = path.join(app, ".alchkit", "dev");
    assert.deepEqual(existsSync(devDir) ? readdirSync(devDir).filter((f) => f.startsWith("pr-1")) : [], [], "no detached record left");
    t.diagnostic(`${template}: create ${((createdAt - started) / 1000).toFixed(1)} s, green local pipeline ${((performance.now() - createdAt) / 1000).toFixed(1)} s`);
  });
}
