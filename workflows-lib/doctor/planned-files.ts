import type { RepositoryFiles } from "./diagnose.ts";

/** The repository's files with `planned` (path → content) in place of theirs: what doctor sees after a write. */
export function withPlannedFiles(files: RepositoryFiles, planned: Record<string, string>): RepositoryFiles {
  return {
    read: (file) => planned[file] ?? files.read(file),
    list(directory) {
      const listed = files.list(directory);
      const names = new Set(listed.map((e) => e.name));
      const prefix = directory === "." ? "" : `${directory.replace(/\/+$/, "")}/`;
      for (const file of Object.keys(planned)) {
        if (!file.startsWith(prefix)) continue;
        const [head, ...rest] = file.slice(prefix.length).split("/");
        if (!head || names.has(head)) continue;
        names.add(head);
        listed.push({ name: head, directory: rest.length > 0 });
      }
      return listed;
    },
  };
}
