import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";

/**
 * Reference tools the tests run (act, oasdiff, opa, actionlint, zizmor, chromium). A test that needs one
 * skips with one line saying why when it is absent, except under `ALCHKIT_REQUIRE_TOOLS=1` (set by
 * `.ci/run`), where the test runs and fails naming the missing tool. `.ci/install-tools` installs them into
 * the tools directory, which is searched after PATH.
 */

export const toolsBinDir = join(
  process.env.ALCHKIT_TOOLS_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "alchkit", "tools"),
  "bin",
);

export const toolsRequired = (): boolean => process.env.ALCHKIT_REQUIRE_TOOLS === "1";

/** The executable's path, from PATH first, then the tools directory; undefined when absent. */
export function findTool(name: string, alternatives: readonly string[] = []): string | undefined {
  const names = [name, ...alternatives];
  const dirs = [...(process.env.PATH ?? "").split(delimiter).filter(Boolean), toolsBinDir];
  for (const dir of dirs) {
    for (const candidate of names) {
      const file = join(dir, candidate);
      if (existsSync(file)) return file;
    }
  }
  return undefined;
}

export interface Tool {
  name: string;
  /** The executable, when present. */
  path: string | undefined;
  /** For `test(name, { skip: tool.skip }, …)`: the reason to skip, or false (present, or required). */
  skip: string | false;
  /** The executable's path; throws naming the tool when it is absent (a required tool fails the test). */
  require(): string;
}

/** Looks a tool up once, for a test file: `const oasdiff = tool("oasdiff", "the live oracle")`. */
export function tool(name: string, neededFor: string, alternatives: readonly string[] = []): Tool {
  const path = findTool(name, alternatives);
  const missing = `${name} is not installed (needed for ${neededFor}; \`bash .ci/install-tools\` installs it)`;
  return {
    name,
    path,
    skip: path || toolsRequired() ? false : missing,
    require() {
      if (!path) throw new Error(`${missing}; ALCHKIT_REQUIRE_TOOLS=1 makes its absence a failure`);
      return path;
    },
  };
}
