import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tool } from "./tools.ts";

/**
 * Headless Chromium for page checks: the DOM after scripts ran, or a screenshot. Offline: background
 * networking, sync and component updates are off, and each run gets a fresh profile.
 */
export const chromium = tool("chromium", "rendering pages in a browser (Debian: apt-get install chromium)", [
  "chromium-browser",
  "google-chrome",
]);

const BASE_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
  "--disable-dev-shm-usage",
];

async function runChromium(args: string[], budgetMs: number): Promise<string> {
  const browser = chromium.require();
  const profile = await mkdtemp(join(tmpdir(), "alchkit-chromium-"));
  try {
    return await new Promise<string>((resolve, reject) => {
      const child = spawn(browser, [...BASE_ARGS, `--user-data-dir=${profile}`, `--virtual-time-budget=${budgetMs}`, ...args], {
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      });
      let out = "";
      let err = "";
      child.stdout.on("data", (c: Buffer) => void (out += c.toString()));
      child.stderr.on("data", (c: Buffer) => void (err = (err + c.toString()).slice(-4000)));
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          // already gone
        }
        reject(new Error(`chromium did not finish within 90 s: ${err}`));
      }, 90_000);
      child.on("error", (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.on("close", (code) => {
        clearTimeout(timer);
        if (code === 0) resolve(out);
        else reject(new Error(`chromium exited ${code}: ${err}`));
      });
    });
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

/** Loads the page, lets its scripts run (virtual time, so no sleeping), returns the resulting DOM. */
export function dumpDom(url: string, budgetMs = 15_000): Promise<string> {
  return runChromium(["--dump-dom", url], budgetMs);
}

/** Loads the page and writes a PNG screenshot of the window to `file`. */
export async function screenshot(url: string, file: string, size = { width: 1280, height: 900 }, budgetMs = 15_000): Promise<void> {
  await runChromium([`--window-size=${size.width},${size.height}`, "--hide-scrollbars", `--screenshot=${file}`, url], budgetMs);
}
