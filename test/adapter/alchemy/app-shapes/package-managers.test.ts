import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { networkInterfaces } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { createAlchemyLauncher } from "../../../../workflows-lib/alchemy/alchemy-launcher.ts";
import { isListening, processGroupAlive } from "../../../../workflows-lib/alchemy/process-group.ts";
import { stageDir } from "../../../../workflows-lib/alchemy/stage-dir.ts";
import { detectPackageManager } from "../../../../workflows-lib/setup/package-manager.ts";
import { baseEnv, fixtureApp, PNPM_USES_ITSELF, startFixtureStage, type Shape } from "../../../support/app-fixtures.ts";
import { deployChain } from "../../../support/deploy-chain.ts";
import { alchkitInProcess } from "../../../support/cli.ts";
import { readDevRecord } from "../../../../workflows-lib/alchemy/dev-record.ts";

/** Command lines of every process in a process group (Linux /proc). */
function groupCommands(pgid: number): string[] {
  const commands: string[] = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]) === pgid) commands.push(readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim());
    } catch {
      // gone
    }
  }
  return commands;
}
const onLinux = process.platform === "linux";
const text = async (url: string) => (await fetch(url)).text();
/** The fixture's file with one edit: commit B of its deploy chain. */
const edited = (dir: string, file: string, from: string, to: string) => {
  const before = readFileSync(path.join(dir, file), "utf8");
  assert.ok(before.includes(from), `${file} has ${from}`);
  return { [file]: before.replace(from, to) };
};
const outside = Object.values(networkInterfaces()).flat().find((i) => i && i.family === "IPv4" && !i.internal)?.address;

async function upAndDown(t: import("node:test").TestContext, shape: Shape, check: (app: Awaited<ReturnType<typeof startFixtureStage>>) => Promise<void>) {
  const dir = fixtureApp(shape);
  const app = await startFixtureStage(t, { dir, shape });
  await check(app);
  const root = stageDir(app.stateDir, app.stage);
  const { pid, port } = app.app;
  await app.down();
  assert.equal(processGroupAlive(pid), false, "no process of the stage is left");
  assert.equal(await isListening(port), false, "nothing listens on its port");
  assert.equal(existsSync(root), false, "its state and storage are gone");
}

test("pnpm (Alchemy's hono template): pnpm exec alchemy, the port Alchemy chose is the one recorded; deploy → promote → rollback", async (t) => {
  const dir = fixtureApp("pnpm");
  assert.equal(createAlchemyLauncher(dir).label, "pnpm exec alchemy");
  await upAndDown(t, "pnpm", async (app) => {
    assert.equal(await (await fetch(app.url("/"))).text(), "Hello Hono!");
    assert.equal(((await (await fetch(app.url("/kv"))).json()) as { key: string }).key, "hello");
    // the template has no ALCHKIT_DEV_PORT line: Alchemy picked the port, and the record says which
    assert.equal(app.app.record.port, Number(new URL(app.baseUrl).port));
    assert.equal(await isListening(app.app.record.port), true);
    if (onLinux) assert.match(groupCommands(app.app.pid).join("\n"), /pnpm exec alchemy dev/);
  });
  // each SHA from its own worktree, with the repository's pnpm install linked in
  await deployChain(t, { dir, healthPath: "/", change: edited(dir, "src/index.ts", "Hello Hono!", "Hello B!"), served: text, expect: { A: "Hello Hono!", B: "Hello B!" } });
});

const WORLD = "Hello World from my-alchemy-app!";
const templateChange = (dir: string) => edited(dir, "src/worker.ts", "Hello World", "Hello B");

test("bun (Alchemy's typescript template): bunx alchemy, and Alchemy runs alchemy.run.ts with bun on loopback; deploy → promote → rollback", async (t) => {
  const dir = fixtureApp("bun");
  await upAndDown(t, "bun", async (app) => {
    assert.equal(await (await fetch(app.url("/"))).text(), "Hello World from my-alchemy-app!", "the template's Worker");
    if (onLinux) assert.match(groupCommands(app.app.pid).join("\n"), /^bun --watch .*alchemy\.run\.ts .*--dev/m);
    if (outside) assert.equal(await isListening(app.app.port, outside), false, `not reachable on ${outside}`);
  });
  await deployChain(t, { dir, healthPath: "/", change: templateChange(dir), served: text, expect: { A: WORLD, B: "Hello B from my-alchemy-app!" } });
});

test("yarn 4 (Alchemy's typescript template, nodeLinker node-modules): yarn exec alchemy from the yarn.lock; deploy → promote → rollback", async (t) => {
  const dir = fixtureApp("yarn");
  assert.equal(createAlchemyLauncher(dir).label, "yarn exec alchemy");
  await upAndDown(t, "yarn", async (app) => {
    assert.equal(await (await fetch(app.url("/"))).text(), "Hello World from my-alchemy-app!", "the template's Worker");
    if (onLinux) assert.match(groupCommands(app.app.pid).join("\n"), /yarn exec alchemy dev/);
  });
  await deployChain(t, { dir, healthPath: "/", change: templateChange(dir), served: text, expect: { A: WORLD, B: "Hello B from my-alchemy-app!" } });
});

test("a program run directly (tsx alchemy.run.ts, app.runner in alchkit.config.json): preview up/down and deploy → promote → rollback start it with the runner, the stage from STAGE, destroyed with PHASE=destroy", async (t) => {
  const dir = fixtureApp("direct");
  // Its alchemy.run.ts is no `alchemy` CLI program (through the CLI it deploys nothing): every command starts it
  // with the runner of the repository's alchkit.config.json.
  const stage = `direct-${process.pid}`;
  const env = { ...baseEnv(), DO_NOT_TRACK: "1", ALCHEMY_TELEMETRY_DISABLED: "1" };
  const preview = (...args: string[]) => alchkitInProcess(["preview", ...args, "--stage", stage, "--local", "--cwd", dir], { cwd: dir, env });
  t.after(() => preview("down"));
  const up = await preview("up", "--detach", "--health-path", "/health");
  assert.equal(up.code, 0, up.stdout + up.stderr);
  const record = readDevRecord(path.join(dir, ".alchkit"), stage)!;
  const url = Object.values(record.deployment?.urls ?? {})[0]!;
  assert.deepEqual(await (await fetch(new URL("health", url))).json(), { ok: true, stage });
  await fetch(new URL("kv", url), { method: "PUT", body: "v" });
  assert.deepEqual(await (await fetch(new URL("kv", url))).json(), { value: "v" });
  if (onLinux) assert.match(groupCommands(record.pid).join("\n"), /tsx\S* alchemy\.run\.ts .*--dev/);
  const down = await preview("down");
  assert.equal(down.code, 0, down.stdout + down.stderr);
  assert.equal(processGroupAlive(record.pid), false, "no process of the stage is left");
  assert.equal(await isListening(record.port), false, "nothing listens on its port");
  assert.equal(existsSync(stageDir(path.join(dir, ".alchkit"), stage)), false, "its state and storage are gone (PHASE=destroy)");

  // deploy, promote and rollback start each SHA's worktree with the runner
  await deployChain(t, {
    dir,
    healthPath: "/health",
    change: edited(dir, "src/worker.ts", "ok: true", 'ok: true, code: "B"'),
    served: async (url) => {
      const body = (await (await fetch(new URL("health", url))).json()) as { stage: string; code?: string };
      return `${body.code ?? "A"} on ${body.stage}`;
    },
    expect: { A: ({ stage }) => `A on ${stage}`, B: ({ stage }) => `B on ${stage}` },
  });
});

test("the setup action's plan installs each shape frozen with its own package manager", (t) => {
  for (const shape of ["pnpm", "bun", "yarn"] as const) {
    // beside the fixture: its lockfile links the kit's packages by relative path
    const copy = mkdtempSync(path.join(path.dirname(fixtureApp(shape)), `frozen-${shape}-`));
    t.after(() => rmSync(copy, { recursive: true, force: true }));
    cpSync(fixtureApp(shape), copy, { recursive: true, filter: (source) => !source.includes(`${path.sep}node_modules`) });
    const manifest = JSON.parse(readFileSync(path.join(copy, "package.json"), "utf8")) as { packageManager?: string };
    const plan = detectPackageManager(readdirSync(copy), manifest);
    assert.equal(plan.name, shape);
    const [file, ...args] = plan.install as [string, ...string[]];
    const env = { ...baseEnv(), ...PNPM_USES_ITSELF };
    const result = spawnSync(file, args, { cwd: copy, env, encoding: "utf8", timeout: 120_000 });
    assert.equal(result.status, 0, `${plan.install.join(" ")}: ${result.stdout}${result.stderr}`);
    assert.ok(existsSync(path.join(copy, "node_modules", "alchemy", "package.json")), `${shape} installed alchemy`);
  }
});
