/**
 * Installs a pinned release binary through the runner's tool cache (@actions/tool-cache), trusting only bytes
 * whose sha256 it checked: the download before anything is extracted or run, and the cached copy on every
 * later use — a tool cache persists on self-hosted runners, and whatever a previous job left there is not
 * trusted. A cached copy that does not match is replaced by a fresh, verified download.
 *
 * Single-file releases (OPA) are checked directly: the cached executable is the asset. For archives (k6) the
 * verified archive is kept in the cache entry; a hit re-checks the archive, extracts it again and requires the
 * cached executable to be byte-identical to the one inside.
 */
import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { chmod, copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

/** The subset of @actions/tool-cache the installer uses (the real module satisfies it). */
export interface ToolCache {
  find(tool: string, version: string, arch?: string): string;
  downloadTool(url: string): Promise<string>;
  extractTar(file: string): Promise<string>;
  extractZip(file: string): Promise<string>;
  cacheDir(dir: string, tool: string, version: string, arch?: string): Promise<string>;
}

export interface PinnedAsset {
  /** File name of the release asset, e.g. `opa_linux_amd64_static` or `k6-v1.3.0-linux-amd64.tar.gz`. */
  name: string;
  url: string;
  /** `file`: the asset is the executable itself. */
  archive: "file" | "tar" | "zip";
  /** Executable name once installed (`opa`, `k6.exe`). */
  exe: string;
  /** Folder inside the archive that holds the executable, when there is one. */
  dir?: string;
}

export interface InstallPinnedOptions {
  tool: string;
  version: string;
  arch: string;
  asset: PinnedAsset;
  /** The sha256 the asset must have (lower-case hex); called once per install. */
  expectedSha256: () => Promise<string>;
  toolCache: ToolCache;
  log?: (message: string) => void;
}

export interface InstalledTool {
  /** Path of the executable. */
  path: string;
  version: string;
  fromCache: boolean;
  /** The verified sha256 of the asset. */
  sha256: string;
}

const ASSET_DIR = ".alchkit-asset";

export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

async function extract(tc: ToolCache, asset: PinnedAsset, file: string): Promise<string> {
  const extracted = asset.archive === "tar" ? await tc.extractTar(file) : await tc.extractZip(file);
  const inner = asset.dir ? path.join(extracted, asset.dir) : extracted;
  const dir = existsSync(path.join(inner, asset.exe)) ? inner : extracted;
  if (!existsSync(path.join(dir, asset.exe))) throw new Error(`${asset.name} holds no ${asset.exe}`);
  return dir;
}

/** Does the cache entry hold exactly the pinned bytes? */
async function cachedIsGenuine(cached: string, asset: PinnedAsset, expected: string, tc: ToolCache): Promise<boolean> {
  const exe = path.join(cached, asset.exe);
  if (!existsSync(exe)) return false;
  if (asset.archive === "file") return (await sha256File(exe)) === expected;
  const kept = path.join(cached, ASSET_DIR, asset.name);
  if (!existsSync(kept) || (await sha256File(kept)) !== expected) return false;
  const fresh = await extract(tc, asset, kept);
  return (await sha256File(path.join(fresh, asset.exe))) === (await sha256File(exe));
}

export async function installPinned(options: InstallPinnedOptions): Promise<InstalledTool> {
  const { tool, version, arch, asset, toolCache: tc } = options;
  const log = options.log ?? (() => {});
  const expected = (await options.expectedSha256()).toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(expected)) throw new Error(`the sha256 pinned for ${asset.name} is not 64 hex digits: "${expected}"`);
  const cached = tc.find(tool, version, arch);
  if (cached) {
    if (await cachedIsGenuine(cached, asset, expected, tc)) {
      log(`${tool} v${version} found in the tool cache (sha256 verified)`);
      return { path: path.join(cached, asset.exe), version, fromCache: true, sha256: expected };
    }
    log(`the cached ${tool} v${version} does not match its pinned sha256 ${expected}: replacing it with a verified download`);
  }
  log(`downloading ${asset.name}`);
  const download = await tc.downloadTool(asset.url);
  const actual = await sha256File(download);
  if (actual !== expected) {
    await rm(download, { force: true });
    throw new Error(`checksum mismatch for ${asset.name}: expected sha256 ${expected}, got ${actual}; refusing to install`);
  }
  let dir: string;
  if (asset.archive === "file") {
    dir = await mkdtemp(path.join(tmpdir(), `${tool}-`));
    await copyFile(download, path.join(dir, asset.exe));
    await chmod(path.join(dir, asset.exe), 0o755);
  } else {
    dir = await extract(tc, asset, download);
    await mkdir(path.join(dir, ASSET_DIR), { recursive: true });
    await copyFile(download, path.join(dir, ASSET_DIR, asset.name));
  }
  const cachedDir = await tc.cacheDir(dir, tool, version, arch);
  return { path: path.join(cachedDir, asset.exe), version, fromCache: false, sha256: actual };
}
