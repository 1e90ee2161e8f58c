/**
 * Planted secrets: fixed fake values for every secret the kit handles, set in the environment of every action
 * run (test/harness/run-action.ts) and every CLI run (test/support/cli.ts). Whatever a test makes the kit
 * produce — logs, step summaries, outputs, files, comment bodies and everything else it sends to the GitHub
 * stand-in — is scanned for them where it is produced. Each scan is recorded (one JSON line per place) in
 * `ALCHKIT_PLANTED_SCAN_DIR` when the suite sets it (scripts/test.ts does); after the suite, scripts/test.ts
 * prints how many places were scanned and fails on any hit.
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** Named like the secrets they stand for, recognisable in any output. */
export const PLANTED_SECRETS: Readonly<Record<string, string>> = {
  CLOUDFLARE_API_TOKEN: "planted-cloudflare-api-token-3f9c1a7e5b",
  ALCHEMY_PASSWORD: "planted-alchemy-password-8d2e6b4f0a",
  ALCHEMY_STATE_TOKEN: "planted-alchemy-state-token-c71a9e3d52",
  RELEASE_TOKEN: "planted-release-token-5e0b8c2f91",
  NODE_AUTH_TOKEN: "planted-npm-auth-token-a4d7f1c93e",
  ACTIONS_RUNTIME_TOKEN: "planted-actions-runtime-token-2c8e5a0f7d",
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: "planted-oidc-request-token-9b3f6d1e48",
  K6_CLOUD_TOKEN: "planted-k6-cloud-token-e5a2c8f0b6",
};

/** The GitHub token the harness gives an action when a test names none. */
export const PLANTED_GITHUB_TOKEN = "ghs_plantedGitHubToken0123456789abcdef";

export interface Hit {
  where: string;
  secret: string;
}

const SCAN_DIR = process.env.ALCHKIT_PLANTED_SCAN_DIR;
let hitsInProcess: Hit[] = [];

/** Scans one produced text; `extra` are secrets of this run only (e.g. the stand-in's token). */
export function scanText(where: string, text: string | undefined, extra: Readonly<Record<string, string>> = {}): Hit[] {
  const hits: Hit[] = [];
  if (text) {
    for (const [name, value] of Object.entries({ ...PLANTED_SECRETS, ...extra })) {
      if (value && text.includes(value)) hits.push({ where, secret: name });
    }
  }
  record(where, hits);
  return hits;
}

/** Scans every file under `dir` (not node_modules or .git), modified at or after `since` when given. */
export function scanFiles(label: string, dir: string, options: { since?: number; extra?: Readonly<Record<string, string>> } = {}): Hit[] {
  const hits: Hit[] = [];
  if (!existsSync(dir)) return hits;
  const walk = (folder: string) => {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const file = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules" && entry.name !== ".git") walk(file);
        continue;
      }
      if (!entry.isFile()) continue;
      try {
        const stat = statSync(file);
        if ((options.since !== undefined && stat.mtimeMs < options.since) || stat.size > 8 * 1024 * 1024) continue;
        hits.push(...scanText(`${label}: ${file}`, readFileSync(file, "latin1"), options.extra));
      } catch {
        // gone meanwhile (a process of the test removed it)
      }
    }
  };
  walk(dir);
  return hits;
}

/** Throws when a scan of this test found a planted secret (so the test that leaked fails, naming where). */
export function assertNoPlantedSecrets(hits: readonly Hit[]): void {
  if (hits.length === 0) return;
  throw new Error(`planted secret(s) found in what the kit produced:\n${hits.map((h) => `  - ${h.secret} in ${h.where}`).join("\n")}`);
}

/** Hits recorded in this process so far (the GitHub stand-in's scans, which happen at close). */
export function plantedHits(): readonly Hit[] {
  return hitsInProcess;
}

function record(where: string, hits: Hit[]): void {
  hitsInProcess = [...hitsInProcess, ...hits];
  if (!SCAN_DIR) return;
  mkdirSync(SCAN_DIR, { recursive: true });
  appendFileSync(join(SCAN_DIR, `${process.pid}.jsonl`), `${JSON.stringify({ where, hits })}\n`);
}

/** The environment of a run with the planted secrets in it; `env` wins (a test may remove one on purpose). */
export function withPlantedSecrets<T extends Record<string, string | undefined>>(env: T): T & Record<string, string | undefined> {
  return { ...PLANTED_SECRETS, ...env };
}
