/**
 * Reads the gate's input files (thresholds, summaries, baselines, budgets, scenarios). They are JSON, like k6's own
 * config and summary files, so one file works with k6, the CLI and the action alike.
 */
import { readFile } from "node:fs/promises";
import { InputError } from "../errors.ts";
import { parseJsonInput } from "../validate.ts";

export async function readDataFile(file: string, inputName: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new InputError(inputName, "a readable file", `cannot read ${file}`);
  }
  return parseJsonInput(text, inputName, "a JSON file", file);
}
