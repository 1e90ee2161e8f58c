// Offline equivalent of actions/upload-artifact v4 (see action.yml).
import { createHash } from "node:crypto";
import { existsSync, globSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { crc32, deflateRawSync } from "node:zlib";
import { backendIds, booleanInput, info, input, inputLines, listArtifacts, refuseUnknownInputs, resultsCall, runStep, setOutput, warning } from "../shared/action-io.ts";

const KNOWN = ["name", "path", "if-no-files-found", "retention-days", "compression-level", "overwrite", "include-hidden-files"];

/** The files to upload and the folder their names in the zip are relative to (the search paths' common root). */
function collect(patterns: string[], hidden: boolean): { root: string; files: string[] } {
  const cwd = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const files = new Set<string>();
  const roots: string[] = [];
  for (const pattern of patterns) {
    const absolute = path.resolve(cwd, pattern);
    const glob = /[*?[]/.test(pattern);
    const matches = glob ? globSync(absolute) : existsSync(absolute) ? [absolute] : [];
    roots.push(glob ? path.resolve(cwd, pattern.split(/[*?[]/)[0]!.replace(/[^/]*$/, "")) : existsSync(absolute) && statSync(absolute).isDirectory() ? absolute : path.dirname(absolute));
    for (const match of matches) {
      if (statSync(match).isDirectory()) for (const f of globSync("**/*", { cwd: match })) files.add(path.join(match, f));
      else files.add(match);
    }
  }
  const root = roots.reduce((common, next) => {
    while (next !== common && !next.startsWith(common + path.sep)) common = path.dirname(common);
    return common;
  });
  const visible = [...files].filter((f) => statSync(f).isFile() && (hidden || !path.relative(root, f).split(path.sep).some((part) => part.startsWith("."))));
  return { root, files: visible.sort() };
}

/** A zip archive (deflate), what GitHub's artifact storage holds. */
function zip(root: string, files: string[], level: number): Buffer {
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const name = Buffer.from(path.relative(root, file).split(path.sep).join("/"));
    const data = readFileSync(file);
    const packed = deflateRawSync(data, { level });
    const crc = crc32(data);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(0x0800, 6); // UTF-8 names
    header.writeUInt16LE(8, 8); // deflate
    header.writeUInt32LE(crc, 14);
    header.writeUInt32LE(packed.length, 18);
    header.writeUInt32LE(data.length, 22);
    header.writeUInt16LE(name.length, 26);
    local.push(header, name, packed);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0x0800, 8);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(packed.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, name);
    offset += header.length + name.length + packed.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...local, directory, end]);
}

async function main(): Promise<void> {
  refuseUnknownInputs("actions/upload-artifact", KNOWN);
  const name = input("name") || "artifact";
  if (/[":<>|*?\\/\r\n]/.test(name)) throw new Error(`The artifact name is not valid: ${name}. Contains a character that is not allowed`);
  const patterns = inputLines("path");
  if (patterns.length === 0) throw new Error("Input required and not supplied: path");
  const ifNone = input("if-no-files-found") || "warn";
  if (!["warn", "error", "ignore"].includes(ifNone)) throw new Error(`Input if-no-files-found: expected warn, error or ignore, got "${ifNone}"`);
  const level = Number(input("compression-level") || "6");
  if (!Number.isInteger(level) || level < 0 || level > 9) throw new Error(`Input compression-level: expected 0 to 9, got "${input("compression-level")}"`);

  const { root, files } = collect(patterns, booleanInput("include-hidden-files", false));
  if (files.length === 0) {
    const message = `No files were found with the provided path: ${patterns.join(", ")}. No artifacts will be uploaded.`;
    if (ifNone === "error") throw new Error(message);
    if (ifNone === "warn") warning(message);
    else info(message);
    return;
  }
  const ids = backendIds();
  if ((await listArtifacts(ids, name)).some((a) => a.name === name)) {
    if (!booleanInput("overwrite", false)) {
      throw new Error(`Failed to CreateArtifact: Received non-retryable error: Failed request: (409) Conflict: an artifact with this name already exists on the workflow run`);
    }
    await resultsCall("DeleteArtifact", { ...ids, name });
    info(`Artifact '${name}' (from earlier in the run) deleted: overwrite is true`);
  }
  const archive = zip(root, files, level);
  const digest = createHash("sha256").update(archive).digest("hex");
  const created = await resultsCall<{ ok: boolean; signedUploadUrl: string }>("CreateArtifact", { ...ids, name, version: 4 });
  if (!created.ok) throw new Error(`CreateArtifact for ${name} was refused`);
  for (const comp of ["block", "blocklist"]) {
    const put = await fetch(`${created.signedUploadUrl}&comp=${comp}`, { method: "PUT", body: comp === "block" ? archive : "" });
    if (!put.ok) throw new Error(`upload of ${name}: ${put.status}`);
  }
  const finalized = await resultsCall<{ ok: boolean; artifactId: string }>("FinalizeArtifact", { ...ids, name, size: String(archive.length), hash: `sha256:${digest}` });
  if (!finalized.ok) throw new Error(`FinalizeArtifact for ${name} was refused`);
  const server = (process.env.GITHUB_SERVER_URL ?? "https://github.com").replace(/\/$/, "");
  info(`Artifact ${name} uploaded: ${files.length} file(s), ${archive.length} bytes, sha256:${digest}`);
  setOutput("artifact-id", String(finalized.artifactId));
  setOutput("artifact-url", `${server}/${process.env.GITHUB_REPOSITORY}/actions/runs/${process.env.GITHUB_RUN_ID}/artifacts/${finalized.artifactId}`);
  setOutput("artifact-digest", digest);
}

await runStep(main);
