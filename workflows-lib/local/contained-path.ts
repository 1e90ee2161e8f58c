import { existsSync, lstatSync, realpathSync } from "node:fs";
import path from "node:path";
import { InputError } from "../errors.ts";

/**
 * A path that must stay inside one of `roots` (a repository, the workspace, the runner's temp folder), also
 * after following symbolic links: the file itself may not be a link, and no linked folder on the way may lead
 * out. Returns the absolute path; throws an InputError naming `input` otherwise. The file need not exist yet
 * (init writes it); then its deepest existing folder is checked.
 */
export function containedPath(roots: readonly string[], candidate: string, input: string): string {
  const expected = roots.length === 1 ? "a path inside the repository" : "a path inside the workspace or the runner's temp folder";
  const realRoots = roots.filter((root) => existsSync(root)).map((root) => realpathSync(root));
  const absolute = path.resolve(roots[0] ?? ".", candidate);
  if (![...roots.map((root) => path.resolve(root)), ...realRoots].some((root) => within(root, absolute))) {
    throw new InputError(input, expected, `${candidate} resolves to ${absolute}`);
  }
  if (isSymlink(absolute)) throw new InputError(input, `${expected}, not a symbolic link`, `${candidate} is a symbolic link`);
  let existing = absolute;
  while (!existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  if (!realRoots.some((root) => within(root, realpathSync(existing)))) throw new InputError(input, expected, `${existing} links out of it`);
  return absolute;
}

function within(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(path.sep) ? root : `${root}${path.sep}`);
}

function isSymlink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}
