// Shell of the setup action's "detect" step (action.yml): reads the project folder, writes the plan as step
// outputs. Only Node built-ins and the pure detector, because the consumer's dependencies are not installed yet.
import { appendFileSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { InputError } from "../errors.ts";
import { detectPackageManager } from "./package-manager.ts";

const dir = path.resolve(process.env.GITHUB_WORKSPACE ?? process.cwd(), process.env.SETUP_WORKING_DIRECTORY ?? ".");
const output = process.env.GITHUB_OUTPUT;

try {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    throw new InputError("working-directory", "an existing folder", dir);
  }
  let manifest: { packageManager?: unknown } | undefined;
  try {
    manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { packageManager?: unknown };
  } catch {
    manifest = undefined;
  }
  const plan = detectPackageManager(files, manifest);
  const outputs: Record<string, string> = {
    "package-manager": plan.name,
    lockfile: plan.lockfile,
    "install-command": plan.install.join(" "),
    "cache-dir-command": plan.cacheDirCommand.join(" "),
    "tool-setup-command": plan.toolSetup?.join(" ") ?? "",
  };
  const text = Object.entries(outputs).map(([k, v]) => `${k}=${v}\n`).join("");
  if (output) appendFileSync(output, text);
  else process.stdout.write(text);
  process.stdout.write(`Package manager: ${plan.name}${plan.version ? ` ${plan.version}` : ""} (${plan.lockfile}); install: ${plan.install.join(" ")}\n`);
} catch (error) {
  const message = error instanceof InputError ? `Input ${error.message}` : String(error);
  process.stdout.write(`::error::${message.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A")}\n`);
  process.exitCode = 1;
}
