// Shell of the setup action's "detect" step (action.yml): reads the project folder, writes the plan as step
// outputs. Only Node built-ins and the pure detector, because the consumer's dependencies are not installed yet.
import { appendFileSync, existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { InputError } from "../errors.ts";
import { detectPackageManager, findInstallRoot, unpinnedWarning } from "./package-manager.ts";
import { annotationCommand } from "../report/workflow-command.ts";

const workspace = path.resolve(process.env.GITHUB_WORKSPACE ?? process.cwd());
const start = path.resolve(workspace, process.env.SETUP_WORKING_DIRECTORY ?? ".");
const output = process.env.GITHUB_OUTPUT;

try {
  const list = (folder: string): string[] => {
    try {
      return readdirSync(folder);
    } catch {
      return [];
    }
  };
  if (!existsSync(start)) throw new InputError("working-directory", "an existing folder", start);
  const dir = findInstallRoot(start, workspace, list, path.dirname);
  const files = list(dir);
  let manifest: { packageManager?: unknown } | undefined;
  try {
    manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { packageManager?: unknown };
  } catch {
    manifest = undefined;
  }
  const plan = detectPackageManager(files, manifest);
  const outputs: Record<string, string> = {
    "package-manager": plan.name,
    // relative to the workspace: the install runs there, and the cache key hashes this file
    "install-directory": path.relative(workspace, dir) || ".",
    lockfile: path.relative(workspace, path.join(dir, plan.lockfile)),
    "install-command": plan.install.join(" "),
    "cache-dir-command": plan.cacheDirCommand.join(" "),
    "tool-setup-command": plan.toolSetup?.join(" ") ?? "",
    "exec-command": plan.exec.join(" "),
  };
  const text = Object.entries(outputs).map(([k, v]) => `${k}=${v}\n`).join("");
  if (output) appendFileSync(output, text);
  else process.stdout.write(text);
  const yarnrc = files.includes(".yarnrc.yml") ? readFileSync(path.join(dir, ".yarnrc.yml"), "utf8") : undefined;
  const unpinned = unpinnedWarning(plan, yarnrc);
  if (unpinned) process.stdout.write(`${annotationCommand("warning", unpinned)}\n`);
  process.stdout.write(`Package manager: ${plan.name}${plan.version ? ` ${plan.version}` : ""} (${plan.lockfile}); install: ${plan.install.join(" ")}\n`);
} catch (error) {
  const message = error instanceof InputError ? `Input ${error.message}` : String(error);
  process.stdout.write(`${annotationCommand("error", message)}\n`);
  process.exitCode = 1;
}
