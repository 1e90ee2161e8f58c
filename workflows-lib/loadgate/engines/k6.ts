/**
 * k6 on runners: installs a pinned k6 from its GitHub release archive (checksum verified, kept in the runner's
 * tool cache), runs the user's script against the target and reads the summary it exports.
 *
 * Exit codes follow k6: 0 = thresholds passed, 99 = thresholds failed (the summary is still read and judged by
 * the gate, which decides exactly as k6 does); anything else is an error carrying k6's own message.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseSummary, type Summary } from "../summary.ts";
import type { ThresholdSpec } from "../thresholds.ts";
import { statisticKey } from "../expression.ts";
import { installPinned, type InstalledTool, type ToolCache } from "../../pinned-tools/install.ts";
import { childEnv } from "../../child-env/allowed-env.ts";

export type { ToolCache } from "../../pinned-tools/install.ts";

export const DEFAULT_K6_VERSION = "1.3.0";
export const K6_RELEASES = "https://github.com/grafana/k6/releases/download";

/**
 * sha256 of k6's release archives, kept in the kit: never taken from the release page the archive comes from
 * (whoever can change one can change the other). A version or platform without a pin needs `k6-sha256`.
 */
export const K6_SHA256: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "1.3.0": {
    "k6-v1.3.0-linux-amd64.tar.gz": "84d26fc1f7bc03e02f2e016b3b1b20c032e05dfe461fca82de4e3a6ebe72ddbd",
  },
};

export interface InstallK6Options {
  version: string;
  platform: NodeJS.Platform;
  arch: string;
  toolCache: ToolCache;
  /** Expected sha256 of the archive; default the kit's pin for this version and platform (K6_SHA256). */
  sha256?: string;
  /** The pins to use (default K6_SHA256). */
  pins?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Release download base (a mirror, or a local server in tests). */
  releasesUrl?: string;
  log?: (message: string) => void;
}

export type InstalledK6 = InstalledTool;

const VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/** The release asset for a runner: k6-v1.3.0-linux-amd64.tar.gz, k6-v1.3.0-macos-arm64.zip, … */
export function k6Asset(version: string, platform: NodeJS.Platform, arch: string): { name: string; dir: string; archive: "tar" | "zip"; exe: string } {
  const os = platform === "linux" ? "linux" : platform === "darwin" ? "macos" : platform === "win32" ? "windows" : undefined;
  const cpu = arch === "x64" ? "amd64" : arch === "arm64" ? "arm64" : undefined;
  if (!os || !cpu || (os === "windows" && cpu === "arm64")) {
    throw new Error(`k6 publishes no release archive for ${platform}/${arch}`);
  }
  const dir = `k6-v${version}-${os}-${cpu}`;
  const archive = os === "linux" ? "tar" : "zip";
  return { name: `${dir}.${archive === "tar" ? "tar.gz" : "zip"}`, dir, archive, exe: os === "windows" ? "k6.exe" : "k6" };
}

/** Reads `<sha256>  <file>` lines of k6's checksums file. */
export function checksumFor(checksums: string, asset: string): string | undefined {
  for (const line of checksums.split(/\r?\n/)) {
    const m = /^([0-9a-fA-F]{64})\s+\*?(.+)$/.exec(line.trim());
    if (m && m[2] === asset) return m[1]!.toLowerCase();
  }
  return undefined;
}

/**
 * k6 through the shared pinned-binary installer. The digest is the `sha256` given (k6-sha256), else the one the
 * kit pins for the version and platform — never the release page's checksums file, which whoever could swap the
 * archive could swap too. Checked on every install, also on a cache hit.
 */
export async function installK6(options: InstallK6Options): Promise<InstalledK6> {
  const { version, toolCache: tc } = options;
  if (!VERSION.test(version)) throw new Error(`k6 version "${version}" is not an exact version like ${DEFAULT_K6_VERSION}`);
  const asset = k6Asset(version, options.platform, options.arch);
  const base = `${(options.releasesUrl ?? K6_RELEASES).replace(/\/$/, "")}/v${version}`;
  return installPinned({
    tool: "k6",
    version,
    arch: options.arch,
    asset: { ...asset, url: `${base}/${asset.name}` },
    toolCache: tc,
    ...(options.log ? { log: options.log } : {}),
    async expectedSha256() {
      const pins = options.pins ?? K6_SHA256;
      const pinned = options.sha256 ?? pins[version]?.[asset.name];
      if (!pinned) {
        throw new Error(
          `alchkit pins no sha256 for ${asset.name}: give k6-sha256 (the archive's sha256, from a source you trust), or use a k6 version the kit pins (${Object.keys(pins).join(", ")})`,
        );
      }
      return pinned;
    },
  });
}

export interface RunK6Options {
  k6Path: string;
  script: string;
  url: string;
  thresholds: ThresholdSpec[];
  /** The thresholds object as the user wrote it; given to k6 as config so abortOnFail works during the run. */
  thresholdsRaw: unknown;
  workDir: string;
  env: NodeJS.ProcessEnv;
  /** Extra `k6 run` arguments (e.g. ["--duration", "10s"]). */
  args?: string[];
  /** Where k6's own output goes (default: stderr, so stdout stays machine-readable). */
  onOutput?: (chunk: string) => void;
}

export interface K6Run {
  summary: Summary;
  raw: unknown;
  exitCode: number;
  /** k6's own verdict: exit 99. */
  thresholdsFailed: boolean;
}

/** Trend statistics to export: k6's defaults plus every percentile the thresholds read. */
export function summaryTrendStats(specs: ThresholdSpec[]): string[] {
  const stats = ["avg", "min", "med", "max", "p(90)", "p(95)", "p(99)", "count"];
  for (const s of specs) {
    const key = statisticKey(s.expression);
    if (s.expression.method === "p" && !stats.includes(key)) stats.push(key);
  }
  return stats;
}

export async function runK6(options: RunK6Options): Promise<K6Run> {
  await mkdir(options.workDir, { recursive: true });
  const exportPath = path.join(options.workDir, "k6-summary-export.json");
  const handleSummaryPath = path.join(options.workDir, "k6-summary.json");
  const configPath = path.join(options.workDir, "k6-config.json");
  await writeFile(configPath, JSON.stringify({ thresholds: options.thresholdsRaw }, null, 2));
  const args = [
    "run",
    "--config", configPath,
    "--summary-export", exportPath,
    "--summary-trend-stats", summaryTrendStats(options.thresholds).join(","),
    ...(options.args ?? []),
    options.script,
  ];
  const env = childEnv(options.env, "k6", {
    K6_TARGET_URL: options.url,
    BASE_URL: options.url,
    // A script's handleSummary can write the full data here: `return { [__ENV.K6_SUMMARY_PATH]: JSON.stringify(data) }`.
    K6_SUMMARY_PATH: handleSummaryPath,
    K6_NO_USAGE_REPORT: "true",
  });
  const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve, reject) => {
    const child = spawn(options.k6Path, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    const output = options.onOutput ?? ((chunk: string) => process.stderr.write(chunk));
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => output(chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString();
      if (err.length > 64_000) err = err.slice(-32_000);
      output(chunk.toString());
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      reject(error.code === "ENOENT" ? new Error(`cannot run k6: "${options.k6Path}" was not found (install k6, or give its path)`) : error);
    });
    child.on("close", (c, signal) => resolve({ code: c ?? (signal ? 128 : 1), stderr: err }));
  });
  if (code !== 0 && code !== 99) {
    const message = stderr.trim().split(/\r?\n/).slice(-15).join("\n");
    throw new Error(`k6 exited with code ${code}${message ? `:\n${message}` : ""}`);
  }
  const file = existsSync(handleSummaryPath) ? handleSummaryPath : exportPath;
  if (!existsSync(file)) throw new Error(`k6 exited with code ${code} but wrote no summary (${path.basename(exportPath)})`);
  const raw: unknown = JSON.parse(await readFile(file, "utf8"));
  return { summary: parseSummary(raw), raw, exitCode: code, thresholdsFailed: code === 99 };
}
