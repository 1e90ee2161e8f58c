import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { detectPackageManager, execCommand, findInstallRoot } from "../setup/package-manager.ts";
import { findAlchemyPackage } from "./alchemy-cli.ts";
import { AlchemyError } from "./alchemy-errors.ts";

export type AlchemyCommand = "deploy" | "destroy" | "dev" | "state list" | "state get";

export interface AlchemyFlags {
  stage?: string;
  profile?: string;
  envFile?: string;
  app?: string;
  adopt?: boolean;
  /** Hides Create/Update/Delete lines (deploy, destroy). */
  quiet?: boolean;
  /**
   * Alchemy's project root (`--root-dir`): where its `.alchemy` state folder is, and whose workspace root
   * holds the Miniflare storage of local runs (`.alchemy/miniflare/v3`). The local runtime gives each stage its own.
   */
  rootDir?: string;
}

/**
 * How the kit starts Alchemy for an app, the way its users do:
 * - through the `alchemy` CLI with the app's package manager (`npm exec`, `pnpm exec`, `yarn exec`, `bunx`),
 *   which also decides the runtime of alchemy.run.ts (Alchemy runs it with bun in a bun project);
 * - or as a program run directly (`tsx alchemy.run.ts`, `bun ./alchemy.run.ts`): the stage in `--stage` and
 *   `STAGE`, destroy as `--destroy` and `PHASE=destroy` (the conventions such programs read).
 */
export interface LaunchCommand {
  file: string;
  args: string[];
  /** Variables the command needs on top of the caller's environment. */
  env: Record<string, string>;
}

export interface AlchemyLauncher {
  /** What a user would type, for messages: `pnpm exec alchemy`, `tsx alchemy.run.ts`. */
  readonly label: string;
  command(command: AlchemyCommand, flags: AlchemyFlags, fqn?: string): LaunchCommand;
}

export interface LauncherChoice {
  /** Run the entry directly with this command (e.g. `tsx`, `bun`, `node`) instead of the `alchemy` CLI. */
  runner?: string;
  /** The entry file, default `alchemy.run.ts`. */
  entry?: string;
}

/** The package manager's exec prefix for the app in `appDir` (its lockfile, or the nearest above it). */
export function packageManagerExec(appDir: string): { name: string; exec: string[] } | undefined {
  const start = path.resolve(appDir);
  const list = (dir: string): string[] => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  };
  const root = findInstallRoot(start, path.parse(start).root, list, path.dirname);
  let manifest: { packageManager?: unknown } | undefined;
  try {
    manifest = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { packageManager?: unknown };
  } catch {
    manifest = undefined;
  }
  try {
    const plan = detectPackageManager(list(root), manifest);
    return { name: plan.name, exec: plan.exec };
  } catch {
    return undefined;
  }
}

const ALCHEMY_ARGS: Record<AlchemyCommand, string[]> = {
  deploy: ["deploy"],
  destroy: ["destroy"],
  dev: ["dev"],
  "state list": ["state", "list"],
  "state get": ["state", "get"],
};

export function createAlchemyLauncher(appDir: string, choice: LauncherChoice = {}): AlchemyLauncher {
  // Without a lockfile (dependencies linked or installed by hand) Alchemy treats the project as npm's: so do we.
  const pm = packageManagerExec(appDir) ?? { name: "npm", exec: execCommand("npm", false) };
  if (choice.runner) return directLauncher(appDir, choice.runner, choice.entry ?? "alchemy.run.ts", pm.exec);
  // The CLI must be installed for the app (Yarn Plug'n'Play keeps packages out of node_modules: no check there).
  if (!hasPnp(appDir)) findAlchemyPackage(appDir);
  const [file, ...prefix] = pm.exec as [string, ...string[]];
  return {
    label: `${pm.exec.join(" ").replace(/ --$/, "")} alchemy`,
    command(command, flags, fqn) {
      return { file, args: [...prefix, "alchemy", ...alchemyArgs(command, flags, fqn)], env: {} };
    },
  };
}

/**
 * The launcher an app's configuration asks for (`app.runner`, `app.entry` of alchkit.config.json): the program run
 * directly, else undefined, and the runtimes start the `alchemy` CLI with the app's package manager when first needed.
 */
export function configuredLauncher(appDir: string, app: LauncherChoice | undefined): AlchemyLauncher | undefined {
  return app?.runner ? createAlchemyLauncher(appDir, app) : undefined;
}

/** Arguments of one `alchemy` CLI command (positional `fqn` for `state get`). */
export function alchemyArgs(command: AlchemyCommand, flags: AlchemyFlags, fqn?: string): string[] {
  const args = [...ALCHEMY_ARGS[command]];
  if (command === "state get") {
    if (!fqn) throw new Error("state get needs a resource fqn");
    args.push(fqn);
  }
  return [...args, ...flagArgs(flags)];
}

function hasPnp(appDir: string): boolean {
  for (let dir = path.resolve(appDir); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, ".pnp.cjs"))) return true;
    if (path.dirname(dir) === dir) return false;
  }
}

function flagArgs(flags: AlchemyFlags): string[] {
  const args: string[] = [];
  if (flags.stage) args.push("--stage", flags.stage);
  if (flags.profile) args.push("--profile", flags.profile);
  if (flags.envFile) args.push("--env-file", flags.envFile);
  if (flags.app) args.push("--app", flags.app);
  if (flags.adopt) args.push("--adopt");
  if (flags.quiet) args.push("--quiet");
  if (flags.rootDir) args.push("--root-dir", flags.rootDir);
  return args;
}

/** Runtimes that run the entry themselves; any other runner (tsx, …) is a dependency run with the package manager. */
const RUNTIMES = new Set(["node", "bun", "deno"]);

function directLauncher(appDir: string, runner: string, entry: string, exec: string[] | undefined): AlchemyLauncher {
  const words = runner.trim().split(/\s+/);
  const [tool] = words as [string];
  if (!existsSync(path.join(appDir, entry))) throw new AlchemyError(`the app's entry ${entry} is not in ${appDir}.`);
  const viaPm = !RUNTIMES.has(tool) && exec ? exec : [];
  const [file, ...prefix] = (viaPm.length > 0 ? [...viaPm, ...words] : words) as [string, ...string[]];
  return {
    label: `${runner} ${entry}`,
    command(command, flags, fqn) {
      // Node and tsx take --env-file before the script; bun too.
      const before = flags.envFile ? [`--env-file=${flags.envFile}`] : [];
      const { envFile: _envFile, ...rest } = flags;
      const args = [...prefix, ...before, entry, ...flagArgs(rest)];
      const env: Record<string, string> = {};
      if (flags.stage) env.STAGE = flags.stage;
      if (command === "dev") args.push("--dev");
      if (command === "destroy") {
        args.push("--destroy");
        env.PHASE = "destroy";
      }
      if (command === "state list" || command === "state get") {
        args.push("--quiet", "--state-cmd", command === "state list" ? "list" : "get");
        if (command === "state get") {
          if (!fqn) throw new Error("state get needs a resource fqn");
          args.push("--state-arg", fqn);
        }
      }
      return { file, args, env };
    },
  };
}
