// Octokit for the stand-in's own tests: the real REST client, optionally with the retry and throttling
// plugins, their waits scaled down so fault tests take milliseconds instead of seconds.
import { Octokit } from "@octokit/rest";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import Bottleneck from "bottleneck";
import type { GitHubStandIn } from "../../github/index.ts";

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

export function plainOctokit(gh: Pick<GitHubStandIn, "url" | "token">): Octokit {
  return new Octokit({ baseUrl: gh.url, auth: gh.token, log: quiet });
}

export interface LimitEvent {
  kind: "primary" | "secondary";
  retryAfter: number;
}

const Resilient = Octokit.plugin(retry, throttling);
export type ResilientOctokit = InstanceType<typeof Resilient>;

/** With retry (3 retries) and throttling (3 rate-limit retries); `limits` records each rate-limit event. */
export function resilientOctokit(gh: Pick<GitHubStandIn, "url" | "token">, limits: LimitEvent[] = []): ResilientOctokit {
  const onLimit = (kind: LimitEvent["kind"]) => (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) => {
    limits.push({ kind, retryAfter });
    return retryCount < 3;
  };
  return new Resilient({
    baseUrl: gh.url,
    auth: gh.token,
    log: quiet,
    retry: { retries: 3, retryAfterBaseValue: 1 },
    throttle: {
      onRateLimit: onLimit("primary"),
      onSecondaryRateLimit: onLimit("secondary"),
      retryAfterBaseValue: 1,
      // GitHub asks for 1 s between writes and 3 s between writes that notify (comments); not here.
      write: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }),
      notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }),
    },
  });
}
