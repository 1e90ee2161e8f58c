import { Octokit } from "@octokit/rest";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import Bottleneck from "bottleneck";

/** Octokit with REST methods, pagination, retries with backoff and GitHub's rate-limit etiquette. */
const AlchkitOctokit = Octokit.plugin(retry, throttling);
export type GitHubClient = InstanceType<typeof AlchkitOctokit>;

export interface GitHubClientOptions {
  token: string;
  /** `GITHUB_API_URL`; GitHub Enterprise Server works the same way. */
  baseUrl?: string;
  /** Retries after 5xx, 429 and network errors (Octokit's retry plugin). */
  retries?: number;
  /** Rate-limit retries (primary and secondary limits; the throttling plugin). */
  rateLimitRetries?: number;
  /**
   * Multiplies every wait: retry backoff, `retry-after`, and the one-second spacing GitHub asks for between
   * writes. 1 in production; a GHES with relaxed limits (or a test against a local stand-in) may lower it.
   */
  timeScale?: number;
  userAgent?: string;
  log?: { debug(m: string): void; info(m: string): void; warn(m: string): void; error(m: string): void };
}

export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const scale = options.timeScale ?? 1;
  const rateLimitRetries = options.rateLimitRetries ?? 3;
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  const onLimit = (kind: string) => (retryAfter: number, request: { method: string; url: string }, _o: unknown, retryCount: number) => {
    (options.log ?? quiet).warn(
      `GitHub ${kind} rate limit on ${request.method} ${request.url}; retrying after ${retryAfter}s (attempt ${retryCount + 1} of ${rateLimitRetries})`,
    );
    return retryCount < rateLimitRetries;
  };
  return new AlchkitOctokit({
    auth: options.token,
    baseUrl: (options.baseUrl ?? "https://api.github.com").replace(/\/$/, ""),
    userAgent: options.userAgent ?? "alchkit",
    log: options.log ?? quiet,
    retry: { retries: options.retries ?? 3, retryAfterBaseValue: Math.max(1, Math.round(1000 * scale)) },
    throttle: {
      onRateLimit: onLimit("primary"),
      onSecondaryRateLimit: onLimit("secondary"),
      retryAfterBaseValue: Math.max(1, Math.round(1000 * scale)),
      ...(scale === 1 ? {} : writeSpacing(scale)),
    },
  });
}

/**
 * The throttling plugin spaces writes by a second, and writes that notify people (issue comments) by three;
 * scaled down, each needs its own limiter group.
 */
function writeSpacing(scale: number): Record<string, unknown> {
  return {
    write: new Bottleneck.Group({ maxConcurrent: 1, minTime: Math.round(1000 * scale) }),
    notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: Math.round(3000 * scale) }),
  };
}
