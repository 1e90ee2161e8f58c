import { InputError } from "../errors.ts";
import { planFloatingTags, type FloatingTagPlan } from "./floating-tags.ts";
import { isPinnedFile, kitRefs, pinKitRefs } from "./kit-pins.ts";
import { formatVersion, parseVersion } from "./semver.ts";

/** Runs git in the repository and returns stdout; rejects with git's message on a non-zero exit. */
export type Git = (args: string[]) => Promise<string>;

export interface KitFiles {
  read(path: string): Promise<string>;
  write(path: string, text: string): Promise<void>;
}

export interface KitReleaseOptions {
  /** `1.2.3` or `v1.2.3`. */
  version: string;
  remote: string;
  push: boolean;
  git: Git;
  files: KitFiles;
  /** Builds every action's dist/ (`npm run build`). */
  build: () => Promise<void>;
  /** Packs the npm package from the release commit (`npm pack`; its prepack compiles the CLI); absent: no tarball. */
  pack?: () => Promise<PackedTarball>;
  log?: (message: string) => void;
}

/** The npm package of a release, ready for `npm publish <file> --provenance`. */
/** The manifest of the package `npm create alchkit` runs (packages/create-alchkit: a bin that runs `alchkit create`). */
export const CREATE_PACKAGE_JSON = "packages/create-alchkit/package.json";

export interface PackedTarball {
  file: string;
  /** Subresource integrity (sha512) npm records for it. */
  integrity: string;
  /** Bytes packed and unpacked. */
  size: number;
  unpackedSize: number;
}

export interface KitReleaseResult {
  tag: string;
  commit: string;
  /** Files whose kit references were pinned to the tag. */
  pinned: string[];
  floating: (FloatingTagPlan & { from?: string })[];
  /** What the push sends (or, with `push: false`, would send): the new tag and the moved floating tags. */
  refspecs: string[];
  pushed: boolean;
  /** The npm package packed from the release commit, when asked for. */
  tarball?: PackedTarball;
}

/**
 * The kit's own release. On a clean tree: build dist, make a release commit (on top of HEAD, off every branch)
 * in which every kit reference is pinned to `vX.Y.Z` and package.json carries the version, tag it `vX.Y.Z`
 * (annotated, never moved), move `vX`/`vX.Y` forward, and push the three tags in one atomic push. The branch
 * keeps its `@main` references. On any failure the working tree goes back to where it was and no tag is left.
 */
export async function releaseKit(options: KitReleaseOptions): Promise<KitReleaseResult> {
  const { git, files } = options;
  const log = options.log ?? (() => {});
  const version = parseVersion(options.version);
  if (!version || /\+/.test(options.version)) {
    throw new InputError("version", "a semantic version like 1.2.3, v1.2.3 or 2.0.0-rc.1", options.version);
  }
  const tag = `v${formatVersion(version)}`;

  const dirty = (await git(["status", "--porcelain", "--untracked-files=normal"])).trim();
  if (dirty) throw new InputError("working tree", "no uncommitted or untracked changes", dirty.split("\n").slice(0, 5).join(", "));
  const remoteTags = options.push ? await listRemoteTags(git, options.remote) : new Map<string, string>();
  const localTags = new Map((await git(["tag", "--list"])).split("\n").filter(Boolean).map((t) => [t, ""]));
  if (localTags.has(tag) || remoteTags.has(tag)) throw new InputError("version", "a version that is not released yet", `tag ${tag} exists`);

  const startBranch = (await git(["symbolic-ref", "--short", "-q", "HEAD"]).catch(() => "")).trim();
  const startCommit = (await git(["rev-parse", "HEAD"])).trim();
  const created: string[] = [];
  const previousFloating = new Map<string, string>();
  try {
    await git(["checkout", "-q", "--detach"]);
    log(`Building dist for ${tag}`);
    await options.build();

    const pinned: string[] = [];
    const tracked = (await git(["ls-files", "-z"])).split("\0").filter(Boolean);
    for (const path of tracked.filter(isPinnedFile)) {
      const text = await files.read(path);
      const next = pinKitRefs(text, tag);
      if (next !== text) {
        await files.write(path, next);
        pinned.push(path);
      }
    }
    if (tracked.includes("package.json")) {
      const pkg = await files.read("package.json");
      await files.write("package.json", pkg.replace(/("version"\s*:\s*")[^"]*(")/, `$1${formatVersion(version)}$2`));
    }
    // `npm create alchkit` runs the create-alchkit package: released with the kit, depending on exactly this version.
    if (tracked.includes(CREATE_PACKAGE_JSON)) {
      const pkg = await files.read(CREATE_PACKAGE_JSON);
      await files.write(
        CREATE_PACKAGE_JSON,
        pkg.replace(/("version"\s*:\s*")[^"]*(")/, `$1${formatVersion(version)}$2`).replace(/("alchkit"\s*:\s*")[^"]*(")/, `$1${formatVersion(version)}$2`),
      );
    }
    // Nothing may slip through: every kit reference in the release is this version.
    for (const path of tracked.filter(isPinnedFile)) {
      const stray = kitRefs(await files.read(path)).filter((r) => r.ref !== tag);
      if (stray.length > 0) throw new Error(`${path} still references alchkit@${stray[0]!.ref}`);
    }

    await git(["add", "--update"]);
    // A new action's first dist/ is untracked; nothing else can be (the tree was clean).
    const newDist = (await git(["ls-files", "-z", "--others", "--exclude-standard", "--", ":(glob)actions/*/dist/**"])).split("\0").filter(Boolean);
    if (newDist.length > 0) await git(["add", "--", ...newDist]);
    await git(["commit", "-q", "--allow-empty", "--no-verify", "-m", `Release ${tag}\n\nPins every alchkit/alchkit reference to ${tag} and carries the built dist.`]);
    const commit = (await git(["rev-parse", "HEAD"])).trim();
    await git(["tag", "-a", tag, "-m", `alchkit ${tag}`, commit]);
    created.push(tag);
    // The package is packed from the release commit (its package.json carries the version), before anything is pushed.
    const tarball = options.pack ? await options.pack() : undefined;
    if (tarball) log(`Packed ${tarball.file} (${tarball.size} bytes)`);

    const allTags = [...new Set([...localTags.keys(), ...remoteTags.keys(), tag])];
    const floating: KitReleaseResult["floating"] = [];
    for (const plan of planFloatingTags(version, allTags)) {
      const from = remoteTags.get(plan.tag) ?? (localTags.has(plan.tag) ? (await git(["rev-parse", `${plan.tag}^{commit}`])).trim() : undefined);
      if (plan.move) {
        if (localTags.has(plan.tag)) previousFloating.set(plan.tag, (await git(["rev-parse", plan.tag])).trim());
        await git(["tag", "-f", plan.tag, commit]);
        created.push(plan.tag);
      }
      floating.push({ ...plan, ...(from ? { from } : {}) });
      log(`${plan.tag}: ${plan.move ? `→ ${tag}` : "stays"} (${plan.reason})`);
    }

    const refspecs = [`refs/tags/${tag}`, ...floating.filter((f) => f.move).map((f) => `+refs/tags/${f.tag}:refs/tags/${f.tag}`)];
    if (options.push) {
      await git(["push", "--atomic", "-q", options.remote, ...refspecs]);
      log(`Pushed ${refspecs.length} tag(s) to ${options.remote}`);
    }
    return { tag, commit, pinned, floating, refspecs, pushed: options.push, ...(tarball ? { tarball } : {}) };
  } catch (error) {
    // The tree was clean when we started: drop what the build and the pinning wrote.
    await git(["reset", "-q", "--hard"]).catch(() => "");
    await git(["clean", "-q", "-f", "-d"]).catch(() => "");
    // Leave no tag behind that the remote does not have, and restore moved floating tags.
    for (const name of created) {
      const previous = previousFloating.get(name);
      await git(previous ? ["tag", "-f", name, previous] : ["tag", "-d", name]).catch(() => "");
    }
    throw error;
  } finally {
    await git(["checkout", "-q", "-f", startBranch || startCommit]).catch(() => "");
  }
}

async function listRemoteTags(git: Git, remote: string): Promise<Map<string, string>> {
  const tags = new Map<string, string>();
  for (const line of (await git(["ls-remote", "--tags", remote])).split("\n")) {
    const [sha, ref] = line.split("\t");
    if (!sha || !ref?.startsWith("refs/tags/")) continue;
    const name = ref.slice("refs/tags/".length);
    // Annotated tags list twice; the peeled line (^{}) names the commit.
    if (name.endsWith("^{}")) tags.set(name.slice(0, -3), sha);
    else if (!tags.has(name)) tags.set(name, sha);
  }
  return tags;
}
