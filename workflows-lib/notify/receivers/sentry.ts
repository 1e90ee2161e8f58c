import { GOES_LIVE, liveShaAfter, shortSha, type EventType, type NotifyEvent } from "../event.ts";
import { accepts, clip, USER_AGENT, type Receiver, type Send } from "./receiver.ts";

export interface SentrySettings {
  name?: string;
  /** `https://sentry.io` (default), a region (`https://de.sentry.io`) or a self-hosted Sentry. */
  url?: string;
  /** An auth token with `project:releases` (or `project:write`). */
  token: string;
  organization: string;
  projects: string[];
  /** Release name, `{sha}` and `{short}` replaced; default `{sha}`. */
  release?: string;
  events?: readonly EventType[];
}

/** Sentry environment names: no slashes, no whitespace, at most 64 characters. */
export function sentryEnvironment(name: string): string {
  return clip(name.replace(/[\s/]+/g, "-"), 64);
}

export function sentryRelease(template: string, sha: string): string {
  return template.replaceAll("{sha}", sha).replaceAll("{short}", shortSha(sha));
}

interface SentryDeploy {
  id?: string;
  name?: string | null;
  environment?: string;
}

/**
 * Sentry through its REST API: a release per SHA (`POST /organizations/{org}/releases/`, a repeat answers 208)
 * and a deploy of it per environment (`POST …/releases/{version}/deploys/`). Deploys have no idempotency key,
 * so the deploy is named after the event id and looked up before it is created (again after a lost answer):
 * a retry or a re-run never records a second deploy.
 */
export function sentryReceiver(settings: SentrySettings): Receiver {
  const base = (settings.url ?? "https://sentry.io").replace(/\/+$/, "");
  const org = encodeURIComponent(settings.organization);
  const headers = {
    authorization: `Bearer ${settings.token}`,
    "content-type": "application/json",
    "user-agent": USER_AGENT,
  };
  const deploysUrl = (version: string) => `${base}/api/0/organizations/${org}/releases/${encodeURIComponent(version)}/deploys/`;

  async function findDeploy(send: Send, version: string, name: string): Promise<SentryDeploy | undefined> {
    const response = await send({ method: "GET", url: deploysUrl(version), headers }, { idempotent: true, what: "Sentry list deploys" });
    const deploys = JSON.parse(response.body || "[]") as SentryDeploy[];
    return Array.isArray(deploys) ? deploys.find((deploy) => deploy.name === name) : undefined;
  }

  return {
    type: "sentry",
    name: settings.name ?? "sentry",
    ...(settings.events ? { events: settings.events } : {}),
    accepts: (event) => GOES_LIVE.has(event.type) && event.environment !== undefined && liveShaAfter(event) !== undefined && accepts(settings.events, event),
    async deliver(event, send) {
      const sha = liveShaAfter(event)!;
      const version = sentryRelease(settings.release ?? "{sha}", sha);
      await send(
        {
          method: "POST",
          url: `${base}/api/0/organizations/${org}/releases/`,
          headers,
          body: JSON.stringify({ version, projects: settings.projects, ...(event.url ? { url: event.url } : {}) }),
        },
        { idempotent: true, what: "Sentry create release" },
      );
      const environment = sentryEnvironment(event.environment!);
      const existing = await findDeploy(send, version, event.id);
      if (existing) return `release ${version}, deploy ${existing.id ?? event.id} to ${environment} (already recorded)`;
      const response = await send(
        {
          method: "POST",
          url: deploysUrl(version),
          headers,
          body: JSON.stringify({
            environment,
            name: event.id,
            ...(event.url ? { url: event.url } : {}),
            dateFinished: event.at,
            projects: settings.projects,
          }),
        },
        { idempotent: false, what: "Sentry create deploy", landed: async () => (await findDeploy(send, version, event.id)) !== undefined },
      );
      const created = JSON.parse(response.body || "{}") as SentryDeploy;
      return `release ${version}, deploy ${created.id ?? event.id} to ${environment}`;
    },
  };
}
