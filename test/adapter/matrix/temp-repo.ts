import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const identity = {
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@example.com",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@example.com",
};

/** A real git repository in a temp dir, with helpers to write files and commit. */
export class TempRepo {
  readonly dir: string;
  constructor(dir?: string) {
    this.dir = dir ?? mkdtempSync(path.join(tmpdir(), "alchkit-matrix-"));
    if (!dir) this.git("init", "-q", "-b", "main");
  }
  git(...args: string[]): string {
    return execFileSync("git", args, { cwd: this.dir, env: { ...process.env, ...identity }, encoding: "utf8" }).trim();
  }
  write(files: Record<string, string | object>): this {
    for (const [file, content] of Object.entries(files)) {
      const full = path.join(this.dir, file);
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, typeof content === "string" ? content : `${JSON.stringify(content, null, 2)}\n`);
    }
    return this;
  }
  move(from: string, to: string): this {
    mkdirSync(path.dirname(path.join(this.dir, to)), { recursive: true });
    renameSync(path.join(this.dir, from), path.join(this.dir, to));
    return this;
  }
  /** Commits everything and returns the new commit's SHA. */
  commit(message: string): string {
    this.git("add", "-A");
    this.git("commit", "-q", "-m", message);
    return this.git("rev-parse", "HEAD");
  }
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * The chain a ← b ← c plus an app on c, an unrelated package d, and e which wants a version of a the
 * workspace does not have (so npm installs it from the registry: no edge).
 */
export function chainWorkspace(flavour: "npm" | "pnpm"): Record<string, string | object> {
  const dep = (range: string) => (flavour === "pnpm" ? "workspace:^" : range);
  const files: Record<string, string | object> = {
    "packages/a/package.json": { name: "@demo/a", version: "1.2.0", scripts: { build: "tsc", test: "node --test" } },
    "packages/a/src/index.ts": "export const a = 1;\n",
    "packages/b/package.json": {
      name: "@demo/b",
      version: "1.0.0",
      scripts: { lint: "eslint .", test: "node --test" },
      dependencies: { "@demo/a": dep("^1.0.0") },
    },
    "packages/b/src/index.ts": "export const b = 1;\n",
    "packages/c/package.json": {
      name: "@demo/c",
      version: "1.0.0",
      scripts: { build: "tsc" },
      devDependencies: { "@demo/b": flavour === "pnpm" ? "workspace:*" : "*" },
    },
    "packages/c/src/index.ts": "export const c = 1;\n",
    "apps/web/package.json": {
      name: "web",
      private: true,
      scripts: { build: "vite build", test: "vitest" },
      dependencies: { "@demo/c": dep("^1.0.0") },
    },
    "apps/web/src/main.ts": "console.log(1);\n",
    "packages/d/package.json": { name: "@demo/d", version: "0.1.0", scripts: { test: "node --test" } },
    "packages/d/src/index.ts": "export const d = 1;\n",
    "packages/e/package.json": {
      name: "@demo/e",
      version: "1.0.0",
      scripts: { test: "node --test" },
      dependencies: { "@demo/a": flavour === "pnpm" ? "^2.0.0" : "^2.0.0" },
    },
    "README.md": "# demo\n",
    "docs/guide.md": "guide\n",
  };
  if (flavour === "npm") {
    files["package.json"] = { name: "demo", private: true, workspaces: ["packages/*", "apps/*"] };
    files["package-lock.json"] = { name: "demo", lockfileVersion: 3, requires: true, packages: {} };
  } else {
    files["package.json"] = { name: "demo", private: true, packageManager: "pnpm@9.15.0" };
    files["pnpm-workspace.yaml"] = "packages:\n  - 'packages/*'\n  - 'apps/*'\n";
    files["pnpm-lock.yaml"] = "lockfileVersion: '9.0'\n";
  }
  return files;
}
