// A consumer repository for promotion tests: the example app in a real git repo with three commits whose
// env files tell the promotion story, and helpers to stop what the tests started.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { stopLocalStage } from "../../../workflows-lib/alchemy/promotion-deployer.ts";
import type { PromotionOptions } from "../../../workflows-lib/promote/run-promotion.ts";

const KIT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const APP = path.join(KIT_ROOT, "test/fixtures/consumer-app");

/** Promotion settings for this repository: production is stage `prod`, settings from `env/<environment>.env`. */
export const consumerRepoOptions: PromotionOptions = {
  stages: { production: "prod" },
  envFilePattern: "env/{environment}.env",
  appDir: ".",
  appEntry: "alchemy.run.ts",
  autoRollback: true,
  requiredChecks: [],
  ignoreChecks: [],
};

export interface ConsumerRepo {
  root: string;
  /** Healthy everywhere: production runs test checkout. */
  A: string;
  /** Turns on live checkout in production but forgets the payment provider: healthy on staging, 503 on production. */
  B: string;
  /** Fixes B: the provider URL is configured. */
  B2: string;
  git(...args: string[]): string;
  /** Environment for Alchemy and the CLI (PATH, HOME, no telemetry). */
  env: NodeJS.ProcessEnv;
  /** Stops every local stage the tests started and removes the repository. */
  close(): Promise<void>;
}

export function createConsumerRepo(): ConsumerRepo {
  const root = mkdtempSync(path.join(tmpdir(), "alchkit-consumer-"));
  const git = (...args: string[]) =>
    execFileSync("git", args, {
      cwd: root,
      encoding: "utf8",
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "Ada",
        GIT_AUTHOR_EMAIL: "ada@example.com",
        GIT_COMMITTER_NAME: "Ada",
        GIT_COMMITTER_EMAIL: "ada@example.com",
      },
    }).trim();
  for (const entry of ["alchemy.run.ts", "package.json", "src"]) {
    cpSync(path.join(APP, entry), path.join(root, entry), { recursive: true });
  }
  // The app's dependencies are installed once in the kit; the consumer reuses them like an installed repo.
  symlinkSync(path.join(KIT_ROOT, "node_modules"), path.join(root, "node_modules"), "dir");
  writeFileSync(path.join(root, ".gitignore"), "node_modules\n.alchemy/\n.alchkit/\n");
  mkdirSync(path.join(root, "env"));
  const envFile = (name: string, text: string) => writeFileSync(path.join(root, "env", `${name}.env`), text);
  git("init", "--quiet", "--initial-branch=main");
  envFile("staging", "CHECKOUT_MODE=test\n");
  envFile("production", "CHECKOUT_MODE=test\n");
  git("add", ".");
  git("commit", "--quiet", "-m", "Orders API with test checkout");
  const A = git("rev-parse", "HEAD");
  envFile("production", "CHECKOUT_MODE=live\n");
  git("commit", "--quiet", "-am", "Turn on live checkout in production");
  const B = git("rev-parse", "HEAD");
  envFile("production", "CHECKOUT_MODE=live\nPAYMENT_PROVIDER_URL=https://payments.example.com\n");
  git("commit", "--quiet", "-am", "Configure the payment provider for production");
  const B2 = git("rev-parse", "HEAD");
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DO_NOT_TRACK: "1",
    ALCHEMY_TELEMETRY_DISABLED: "1",
    FORCE_COLOR: "0",
  };
  return {
    root,
    A,
    B,
    B2,
    git,
    env,
    async close() {
      for (const stage of ["staging", "prod"]) await stopLocalStage(root, stage, env).catch(() => false);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** What an environment's URL answers on `/version`. */
export async function versionAt(url: string): Promise<string> {
  const response = await fetch(new URL("version", url.endsWith("/") ? url : `${url}/`));
  return ((await response.json()) as { build: string }).build;
}
