#!/usr/bin/env node
import { createInterface } from "node:readline/promises";
import { commandModules, moduleFor } from "./commands/registry.ts";
import { runCli } from "./run-cli.ts";
import type { CliContext } from "./command.ts";
import { kitManifest } from "../local/kit-root.ts";

const { version } = kitManifest();

const ctx: CliContext = {
  cwd: process.cwd(),
  env: process.env,
  isTTY: process.stdout.isTTY === true,
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  ...(process.stdin.isTTY
    ? {
        prompt: async (question: string) => {
          const rl = createInterface({ input: process.stdin, output: process.stderr });
          try {
            return await rl.question(question);
          } finally {
            rl.close();
          }
        },
      }
    : {}),
};

const argv = process.argv.slice(2);
// Load only the module of the command being run; help and unknown commands need them all, the version none.
const module = moduleFor(argv);
const versionOnly = argv[0] === "--version" || argv[0] === "-v";
const specs = module ? await module.load() : versionOnly ? [] : (await Promise.all(commandModules.map((m) => m.load()))).flat();
process.exitCode = await runCli(specs, argv, ctx, version);
