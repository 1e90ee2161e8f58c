/** Reads the gate's input files (thresholds, summaries, baselines, budgets, scenarios): JSON, or YAML by extension. */
import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { InputError } from "../errors.ts";

export async function readDataFile(file: string, inputName: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new InputError(inputName, "a readable file", `cannot read ${file}`);
  }
  try {
    return /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new InputError(inputName, /\.ya?ml$/i.test(file) ? "a YAML file" : "a JSON file", `${file}: ${(error as Error).message}`);
  }
}
