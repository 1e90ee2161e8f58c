/**
 * What a preview remembers between runs, kept invisibly in its own sticky comment: no extra API calls, and it
 * lives exactly as long as the PR's conversation. Base64 so the JSON can never close the HTML comment.
 */
export interface PreviewDeployRecord {
  sha: string;
  deploymentId?: string;
  outcome: "deployed" | "failed" | "unhealthy";
  /** ISO time the deploy started. */
  at: string;
  durationMs: number;
  url?: string;
  runUrl?: string;
  health?: { healthy: boolean; status?: number; reason?: string };
}

export interface PreviewState {
  version: 1;
  stage: string;
  /** Newest first; at most HISTORY_LIMIT entries. */
  history: PreviewDeployRecord[];
  /** `accountChecked`: the Cloudflare account was listed too (not only Alchemy's state). */
  destroyed?: { at: string; leftovers: string[]; accountChecked?: boolean };
}

export const HISTORY_LIMIT = 20;
const TAG = "alchkit:preview-state";

export function encodeState(state: PreviewState): string {
  return `<!-- ${TAG} ${Buffer.from(JSON.stringify(state)).toString("base64")} -->`;
}

export function decodeState(body: string | undefined): PreviewState | undefined {
  if (!body) return undefined;
  const m = new RegExp(`<!-- ${TAG} ([A-Za-z0-9+/=]+) -->`).exec(body);
  if (!m) return undefined;
  try {
    const state = JSON.parse(Buffer.from(m[1]!, "base64").toString("utf8")) as PreviewState;
    return state.version === 1 && Array.isArray(state.history) ? state : undefined;
  } catch {
    return undefined;
  }
}

/** Adds a record, replacing an earlier one for the same SHA (a re-run), newest first. */
export function withRecord(state: PreviewState | undefined, stage: string, record: PreviewDeployRecord): PreviewState {
  const history = [record, ...(state?.history ?? []).filter((r) => r.sha !== record.sha)].slice(0, HISTORY_LIMIT);
  return { version: 1, stage, history };
}

/** The deployment created for this SHA by an earlier attempt of the job, to reuse instead of duplicating. */
export function deploymentFor(state: PreviewState | undefined, sha: string): string | undefined {
  return state?.history.find((r) => r.sha === sha)?.deploymentId;
}
