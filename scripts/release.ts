// `node scripts/release.ts <version>`: the kit's own release. On a clean tree: `npm run build`, a release
// commit that pins every alchkit/alchkit reference to vX.Y.Z, the immutable tag vX.Y.Z, and vX / vX.Y moved
// forward, pushed atomically. See docs/releasing.md.
//
//   node scripts/release.ts 1.4.0 [--remote origin] [--no-push] [--build-command "npm run build"] [--cwd DIR]
//                                 [--pack-destination DIR [--pack-command "npm pack --json --pack-destination DIR"]]
// With --pack-destination, the npm package is packed from the release commit into DIR (its prepack compiles the
// CLI) and the JSON result names the tarball and its integrity: `npm publish <file> --provenance` publishes it;
// `createTarball` is the package `npm create alchkit` runs (packages/create-alchkit), published the same way.
import { spawn } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { EXIT, InputError, errorMessage } from "../workflows-lib/errors.ts";
import { gitCli, repoFiles } from "../workflows-lib/local/release-repo.ts";
import { releaseKit, type PackedTarball } from "../workflows-lib/release/kit-release.ts";

function runShell(command: string, cwd: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    // Build output goes to stderr: stdout carries only the JSON result.
    const child = spawn(command, { cwd, shell: true, stdio: ["ignore", 2, 2] });
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolvePromise() : reject(new Error(`${command} exited with ${code}`))));
  });
}

/** Runs `command` and returns its stdout (its stderr goes to ours); rejects on a non-zero exit. */
function captureShell(command: string, cwd: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, { cwd, shell: true, stdio: ["ignore", "pipe", 2] });
    let stdout = "";
    child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolvePromise(stdout) : reject(new Error(`${command} exited with ${code}`))));
  });
}

/** `npm pack --json` (or the given command printing the same JSON) into `destination`. */
async function packTarball(command: string, destination: string, cwd: string): Promise<PackedTarball> {
  await mkdir(destination, { recursive: true });
  const stdout = await captureShell(command, cwd);
  const start = stdout.indexOf("[");
  const [info] = (start >= 0 ? JSON.parse(stdout.slice(start)) : []) as { filename?: string; integrity?: string; size?: number; unpackedSize?: number }[];
  if (!info?.filename || !info.integrity) throw new Error(`${command} printed no npm pack JSON: ${stdout.slice(0, 200)}`);
  return { file: join(destination, info.filename), integrity: info.integrity, size: info.size ?? 0, unpackedSize: info.unpackedSize ?? 0 };
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        remote: { type: "string", default: "origin" },
        "no-push": { type: "boolean", default: false },
        "build-command": { type: "string", default: "npm run build" },
        cwd: { type: "string", default: process.cwd() },
        "pack-destination": { type: "string" },
        "pack-command": { type: "string" },
      },
    });
  } catch (error) {
    process.stderr.write(`release: ${errorMessage(error)}\n`);
    return EXIT.badInput;
  }
  const { values, positionals } = parsed;
  const cwd = resolve(values.cwd);
  try {
    if (positionals.length !== 1) throw new InputError("version", "one version argument, e.g. `node scripts/release.ts 1.4.0`");
    if (values["pack-command"] && !values["pack-destination"]) throw new InputError("--pack-command", "to be used with --pack-destination DIR");
    let createTarball: PackedTarball | undefined;
    const result = await releaseKit({
      version: positionals[0]!,
      remote: values.remote,
      push: !values["no-push"],
      git: gitCli(cwd),
      files: repoFiles(cwd),
      build: () => runShell(values["build-command"], cwd),
      ...(values["pack-destination"]
        ? {
            pack: async () => {
              const destination = resolve(values["pack-destination"]!);
              // The package `npm create alchkit` runs, packed beside the kit's tarball from the same release commit.
              createTarball = await packTarball(`npm pack --json --pack-destination ${JSON.stringify(destination)}`, destination, join(cwd, "packages/create-alchkit"));
              return packTarball(values["pack-command"] ?? `npm pack --json --pack-destination ${JSON.stringify(destination)}`, destination, cwd);
            },
          }
        : {}),
      log: (message) => process.stderr.write(`${message}\n`),
    });
    process.stdout.write(`${JSON.stringify({ ...result, ...(createTarball ? { createTarball } : {}) }, null, 2)}\n`);
    return EXIT.ok;
  } catch (error) {
    process.stderr.write(`release: ${errorMessage(error)}\n`);
    return error instanceof InputError ? EXIT.badInput : EXIT.gateFailed;
  }
}

process.exitCode = await main();
