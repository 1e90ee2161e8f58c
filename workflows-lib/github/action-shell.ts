import * as core from "@actions/core";
import type { z } from "zod";
import { GateFailure, InputError, errorMessage } from "../errors.ts";
import { kebab, parseInputs } from "../validate.ts";
import { createGitHubClient, type GitHubClient } from "./client.ts";
import { readActionContext, type ActionContext } from "./action-context.ts";

/** What an action's main.ts gets: parsed inputs, the run's context, GitHub, outputs and the step summary. */
export interface ActionIO {
  context: ActionContext;
  /** Reads every key of the schema as an action input (`bodyPath` ← `body-path`); empty inputs are absent. */
  inputs<T extends z.ZodObject>(schema: T): z.output<T>;
  /** Octokit for the run's token (`github-token` input, else GITHUB_TOKEN), base URL from GITHUB_API_URL. */
  github(): GitHubClient;
  setOutput(name: string, value: string | number | boolean): void;
  /** Appends markdown to the step summary. */
  summary(markdown: string): Promise<void>;
  /** Masks a value in every later log line. */
  secret(value: string | undefined): void;
  /** State for the action's post step (`runs.post`), and reading it there. */
  saveState(name: string, value: string): void;
  getState(name: string): string;
  info(message: string): void;
  warning(message: string, title?: string): void;
  notice(message: string, title?: string): void;
  /** Environment of the step, for adapters that need it (HOME, PATH, tool caches). */
  env: NodeJS.ProcessEnv;
}

/**
 * Runs an action body the way every alchkit action does: a bad input is one `::error::` naming the input and
 * nothing else happens; a gate that says no fails the step with its reason; anything else fails with its message.
 */
export async function runAction(body: (io: ActionIO) => Promise<void>, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let client: GitHubClient | undefined;
  const io: ActionIO = {
    context: readActionContext(env),
    env,
    inputs(schema) {
      const raw: Record<string, unknown> = {};
      for (const key of Object.keys(schema.shape)) {
        const value = core.getInput(kebab(key));
        if (value !== "") raw[key] = value;
      }
      return parseInputs(schema, raw, kebab);
    },
    github() {
      if (client) return client;
      const token = core.getInput("github-token") || env.GITHUB_TOKEN || "";
      if (!token) throw new InputError("github-token", "a token (the default is the run's GITHUB_TOKEN)");
      core.setSecret(token);
      client = createGitHubClient({
        token,
        baseUrl: env.GITHUB_API_URL ?? "https://api.github.com",
        timeScale: timeScale(env),
        // Octokit logs every failed request as an error, also the 404s the adapters expect (a branch, file or
        // comment not there yet) and handle; as annotations they would mark a passing run red. Failures the
        // adapters do not handle still fail the step with their own message.
        log: { debug: core.debug, info: core.info, warn: core.warning, error: core.info },
      });
      return client;
    },
    setOutput: (name, value) => core.setOutput(name, value),
    async summary(markdown) {
      if (!env.GITHUB_STEP_SUMMARY) return;
      await core.summary.addRaw(markdown, true).write();
    },
    secret(value) {
      if (value) core.setSecret(value);
    },
    saveState: (name, value) => core.saveState(name, value),
    getState: (name) => core.getState(name),
    info: (message) => core.info(message),
    warning: (message, title) => core.warning(message, title ? { title } : {}),
    notice: (message, title) => core.notice(message, title ? { title } : {}),
  };
  try {
    await body(io);
  } catch (error) {
    if (error instanceof InputError) core.setFailed(`Input ${error.message}`);
    else if (error instanceof GateFailure) core.setFailed(error.message);
    else {
      core.debug(error instanceof Error && error.stack ? error.stack : String(error));
      core.setFailed(errorMessage(error));
    }
  }
}

/** `ALCHKIT_GITHUB_TIME_SCALE` shortens GitHub waits (retry backoff, write spacing) on hosts with relaxed limits. */
export function timeScale(env: NodeJS.ProcessEnv): number {
  const value = Number(env.ALCHKIT_GITHUB_TIME_SCALE ?? "1");
  return Number.isFinite(value) && value > 0 && value <= 1 ? value : 1;
}

/** Action inputs are strings; these parse the common shapes. */
export { booleanInput, listInput, positiveIntInput } from "../validate.ts";
