// Code blocks of the kit's markdown: the YAML a reader copies (tested for contracts, actionlint, GitHub's
// parser) and the workflows a guide tells users to add (run under act).
import { readFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../harness/run-action.ts";

/** The ```yaml blocks of a markdown file, with the line each starts on. */
export function yamlBlocks(markdown: string): Array<{ line: number; text: string }> {
  const blocks: Array<{ line: number; text: string }> = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*```ya?ml\s*$/.test(lines[i]!)) continue;
    const indent = /^\s*/.exec(lines[i]!)![0].length;
    const body: string[] = [];
    const start = i + 1;
    while (++i < lines.length && !/^\s*```\s*$/.test(lines[i]!)) body.push(lines[i]!.slice(indent));
    blocks.push({ line: start, text: body.join("\n") });
  }
  return blocks;
}

/**
 * The workflow a guide gives as a copy-paste file: the YAML block whose first line is
 * `# .github/workflows/<file>`, else the first complete workflow calling the kit's `<file>`. Throws naming
 * the guide when it has neither.
 */
export function documentedWorkflow(guide: string, file: string): string {
  const blocks = yamlBlocks(readFileSync(path.join(repoRoot, guide), "utf8"));
  const block =
    blocks.find((b) => b.text.split("\n")[0]!.trim() === `# .github/workflows/${file}`) ??
    blocks.find((b) => /^on:/m.test(b.text) && /^jobs:/m.test(b.text) && b.text.includes(`uses: alchkit/alchkit/.github/workflows/${file}@`));
  if (!block) throw new Error(`${guide} shows no workflow for ${file}`);
  return `${block.text}\n`;
}
