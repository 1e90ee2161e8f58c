/**
 * Loads and validates the gate's files for both shells (CLI and action): every problem is one InputError
 * naming the flag or input it came from.
 */
import { InputError } from "../errors.ts";
import { parseBudgets, DEFAULT_BUDGETS, type Budgets } from "./baseline.ts";
import { readDataFile } from "./files.ts";
import { parseScenario, type Scenario } from "./scenario.ts";
import { parseSummary, SummaryError, type Summary } from "./summary.ts";
import { parseThresholds, type ThresholdSpec } from "./thresholds.ts";

export async function loadThresholds(file: string, inputName: string): Promise<{ specs: ThresholdSpec[]; raw: unknown }> {
  const raw = await readDataFile(file, inputName);
  return { specs: parseThresholds(raw, inputName), raw };
}

export async function loadSummary(file: string, inputName: string): Promise<Summary> {
  const raw = await readDataFile(file, inputName);
  try {
    return parseSummary(raw);
  } catch (error) {
    if (error instanceof SummaryError) throw new InputError(inputName, "a k6 summary (handleSummary data or --summary-export file)", `${file}: ${error.message}`);
    throw error;
  }
}

export async function loadBudgets(file: string | undefined, inputName: string): Promise<Budgets> {
  if (file === undefined) return DEFAULT_BUDGETS;
  return parseBudgets(await readDataFile(file, inputName), inputName);
}

export async function loadScenario(
  file: string | undefined,
  inputName: string,
  overrides: { durationMs?: number; connections?: number },
): Promise<Scenario> {
  const raw = file === undefined ? {} : await readDataFile(file, inputName);
  return parseScenario(raw, inputName, overrides);
}
