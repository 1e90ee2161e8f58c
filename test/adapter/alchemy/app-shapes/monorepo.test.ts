import assert from "node:assert/strict";
import { cpSync, existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { isListening } from "../../../../workflows-lib/alchemy/process-group.ts";
import { TempRepo } from "../../matrix/temp-repo.ts";
import { alchkit, alchkitAsync } from "../../../support/cli.ts";
import { baseEnv, MONOREPO_APPS, monorepoApp } from "../../../support/app-fixtures.ts";
import { deployChain } from "../../../support/deploy-chain.ts";

// A monorepo: one workspace root with one lockfile, two Alchemy apps (apps/api, and apps/web-api depending on it),
// each with its own alchemy.run.ts and run one at a time by its directory.
const root = monorepoApp();

test("monorepo: a change to one app selects it and its dependents in the matrix, nothing else", (t) => {
  const repo = new TempRepo();
  t.after(() => repo.remove());
  cpSync(root, repo.dir, { recursive: true, filter: (source) => !source.includes(`${path.sep}.alchkit`) });
  const start = repo.commit("two apps");
  const selected = (base: string) => {
    const run = alchkit(["matrix", "--base", base, "--cwd", repo.dir, "--format", "plan"], { cwd: repo.dir });
    assert.equal(run.status, 0, run.stderr);
    return (JSON.parse(run.stdout) as { matrix: { include: { name: string; path: string }[] } }).matrix.include.map((p) => `${p.name} ${p.path}`).sort();
  };
  repo.write({ [`${MONOREPO_APPS.webApi}/src/worker.ts`]: "export default { fetch: () => new Response('web-api 2') };\n" });
  const webOnly = repo.commit("web-api only");
  assert.deepEqual(selected(start), ["mono-web-api apps/web-api"]);
  repo.write({ [`${MONOREPO_APPS.api}/src/worker.ts`]: "export default { fetch: () => new Response('api 2') };\n" });
  repo.commit("api");
  assert.deepEqual(selected(webOnly), ["mono-api apps/api", "mono-web-api apps/web-api"], "api and web-api, which depends on it");
});

test("monorepo: previews of both apps on one stage, started at once, never collide, and down leaves nothing of either", async (t) => {
  const stage = `pr-${process.pid % 10_000}`;
  const env = { ...baseEnv(), DO_NOT_TRACK: "1", ALCHEMY_TELEMETRY_DISABLED: "1" };
  const down = (dir: string) => alchkitAsync(["preview", "down", "--stage", stage, "--local", "--cwd", dir], { cwd: root, env, timeout: 120_000 });
  t.after(() => Promise.all(Object.values(MONOREPO_APPS).map(down)));
  const ups = await Promise.all(
    Object.values(MONOREPO_APPS).map((dir) => alchkitAsync(["preview", "up", "--stage", stage, "--local", "--detach", "--cwd", dir, "--health-path", "/"], { cwd: root, env, timeout: 120_000 })),
  );
  const urls: Record<string, string> = {};
  Object.entries(MONOREPO_APPS).forEach(([key, dir], i) => {
    const up = ups[i]!;
    assert.equal(up.status, 0, `${dir}: ${up.stdout}${up.stderr}`);
    const url = up.stdout.match(/http:\/\/127\.0\.0\.1:\d+\/?/)?.[0];
    assert.ok(url, `${dir} printed its URL: ${up.stdout}`);
    urls[key] = url;
  });
  assert.notEqual(new URL(urls.api!).port, new URL(urls.webApi!).port, "each app has its own port");
  assert.equal(await (await fetch(urls.api!)).text(), "api");
  assert.equal(await (await fetch(urls.webApi!)).text(), "web-api");
  const downs = await Promise.all(Object.values(MONOREPO_APPS).map(down));
  for (const [i, [key, dir]] of Object.entries(MONOREPO_APPS).entries()) {
    const run = downs[i]!;
    assert.equal(run.status, 0, `${dir}: ${run.stdout}${run.stderr}`);
    assert.equal(await isListening(Number(new URL(urls[key]!).port)), false, `${dir}: nothing listens on its port`);
    const stages = path.join(root, dir, ".alchkit", "stages");
    assert.deepEqual(existsSync(stages) ? readdirSync(stages).filter((s) => s.includes(stage)) : [], [], `${dir}: no state or storage of ${stage} is left`);
  }
});

test("monorepo: deploy → promote → rollback of one app (--app-dir); the other app never replaces it on an environment, and the load gate runs on its URL", async (t) => {
  const env = { ...baseEnv(), DO_NOT_TRACK: "1", ALCHEMY_TELEMETRY_DISABLED: "1" };
  await deployChain(t, {
    dir: root,
    appDir: MONOREPO_APPS.api,
    healthPath: "/",
    change: { "src/worker.ts": "export default { fetch: () => new Response('api 2') };\n" },
    served: async (url) => (await fetch(url)).text(),
    expect: { A: "api", B: "api 2" },
    whileLive: async ({ root: repo, staging }) => {
      // without the guard, web-api's deploy stopped api's process, took its URL and became staging's live entry
      const web = alchkit(["deploy", "--env", "staging", "--app-dir", MONOREPO_APPS.webApi, "--health-path", "/", "--local", "--cwd", repo], { cwd: repo, env, timeout: 120_000 });
      assert.equal(web.status, 1, web.stdout + web.stderr);
      assert.match(web.stderr, /Refusing to deploy apps\/web-api to staging: staging runs the app in apps\/api\. .*--env web-api-staging/);
      assert.equal(await (await fetch(staging)).text(), "api 2", "api still serves staging");
      // without --app-dir the app folder is app.directory of alchkit.config.json (it was the root, whatever the config said)
      writeFileSync(path.join(repo, "alchkit.config.json"), JSON.stringify({ app: { directory: MONOREPO_APPS.webApi } }));
      const configured = alchkit(["deploy", "--env", "staging", "--health-path", "/", "--local", "--cwd", repo], { cwd: repo, env, timeout: 120_000 });
      rmSync(path.join(repo, "alchkit.config.json"));
      assert.equal(configured.status, 1, configured.stdout + configured.stderr);
      assert.match(configured.stderr, /Refusing to deploy apps\/web-api to staging: staging runs the app in apps\/api\./);
      // the load gate against the app's environment URL
      writeFileSync(path.join(repo, "thresholds.json"), JSON.stringify({ http_req_failed: ["rate<0.01"], http_reqs: ["count>0"] }));
      const out = path.join(repo, ".alchkit", "load");
      const gate = alchkit(["load-gate", "run", "--url", staging, "--thresholds", "thresholds.json", "--duration", "1s", "--connections", "2", "--out", out], { cwd: repo, env, timeout: 60_000 });
      assert.equal(gate.status, 0, gate.stdout + gate.stderr);
      assert.equal((JSON.parse(gate.stdout) as { passed: boolean }).passed, true);
    },
  });
});
