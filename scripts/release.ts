// `node scripts/release.ts <version>`: the kit's own release. On a clean tree: `npm run build`, a release
// commit that pins every alchkit/alchkit reference to vX.Y.Z, the immutable tag vX.Y.Z, and vX / vX.Y moved
// forward, pushed atomically. See docs/releasing.md.
//
//   node scripts/release.ts 1.4.0 [--remote origin] [--no-push] [--build-command "npm run build"] [--cwd DIR]
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { EXIT, InputError, errorMessage } from "../workflows-lib/errors.ts";
import { gitCli, repoFiles } from "../workflows-lib/local/release-repo.ts";
import { releaseKit } from "../workflows-lib/release/kit-release.ts";

function runShell(command: string, cwd: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    // Build output goes to stderr: stdout carries only the JSON result.
    const child = spawn(command, { cwd, shell: true, stdio: ["ignore", 2, 2] });
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolvePromise() : reject(new Error(`${command} exited with ${code}`))));
  });
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
    const result = await releaseKit({
      version: positionals[0]!,
      remote: values.remote,
      push: !values["no-push"],
      git: gitCli(cwd),
      files: repoFiles(cwd),
      build: () => runShell(values["build-command"], cwd),
      log: (message) => process.stderr.write(`${message}\n`),
    });
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return EXIT.ok;
  } catch (error) {
    process.stderr.write(`release: ${errorMessage(error)}\n`);
    return error instanceof InputError ? EXIT.badInput : EXIT.gateFailed;
  }
}

process.exitCode = await main();
