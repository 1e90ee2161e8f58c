import type { PinnedAsset } from "./install.ts";

/**
 * OPA release binaries the kit installs on runners, and their sha256 pinned here, per version and platform:
 * the value OPA publishes next to each binary (`<asset>.sha256`). Installing a version or platform without a
 * pinned digest needs the digest given explicitly (the policy action's `opa-sha256`); nothing is ever
 * trusted on download alone. Bumping OPA is an edit to this table.
 */
export const OPA_RELEASES = "https://github.com/open-policy-agent/opa/releases/download";

export const DEFAULT_OPA_VERSION = "1.20.2";

export const OPA_SHA256: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "1.20.2": {
    opa_linux_amd64_static: "69da5179ee403d10fa11bab6cfb4ffb0d23dba5f9b682fa977db772a1da5670f",
  },
};

/** The release asset of a runner: static Linux builds, Darwin arm64 static, Darwin amd64, Windows amd64. */
export function opaAsset(version: string, platform: NodeJS.Platform, arch: string, releasesUrl = OPA_RELEASES): PinnedAsset {
  const cpu = arch === "x64" ? "amd64" : arch === "arm64" ? "arm64" : undefined;
  let name: string | undefined;
  if (platform === "linux" && cpu) name = `opa_linux_${cpu}_static`;
  else if (platform === "darwin" && cpu) name = cpu === "arm64" ? "opa_darwin_arm64_static" : "opa_darwin_amd64";
  else if (platform === "win32" && cpu === "amd64") name = "opa_windows_amd64.exe";
  if (!name) throw new Error(`OPA publishes no release binary for ${platform}/${arch}`);
  return {
    name,
    url: `${releasesUrl.replace(/\/$/, "")}/v${version}/${name}`,
    archive: "file",
    exe: platform === "win32" ? "opa.exe" : "opa",
  };
}

/** The pinned sha256 of an asset, or undefined when this kit pins none for it. */
export function pinnedOpaSha256(version: string, asset: string): string | undefined {
  return OPA_SHA256[version]?.[asset];
}

/** `1.20.2 (opa_linux_amd64_static)` for every pinned version, for error messages. */
export function pinnedOpaVersions(): string {
  return Object.entries(OPA_SHA256)
    .map(([version, assets]) => `${version} (${Object.keys(assets).join(", ")})`)
    .join("; ");
}
