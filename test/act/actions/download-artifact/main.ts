// Offline equivalent of actions/download-artifact v4 (see action.yml).
import { mkdirSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { inflateRawSync } from "node:zlib";
import { backendIds, booleanInput, info, input, listArtifacts, refuseUnknownInputs, resultsCall, runStep, setOutput } from "../shared/action-io.ts";

/** Writes every file of a zip archive under `dir` (deflate or stored entries, as artifact zips hold). */
function unzip(archive: Buffer, dir: string): number {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error("the artifact is not a zip archive");
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  for (let i = 0; i < count; i++) {
    if (archive.readUInt32LE(at) !== 0x02014b50) throw new Error("corrupt zip central directory");
    const method = archive.readUInt16LE(at + 10);
    const packedSize = archive.readUInt32LE(at + 20);
    const nameLength = archive.readUInt16LE(at + 28);
    const extraLength = archive.readUInt16LE(at + 30);
    const commentLength = archive.readUInt16LE(at + 32);
    const localAt = archive.readUInt32LE(at + 42);
    const name = archive.toString("utf8", at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    const target = path.resolve(dir, name);
    if (!target.startsWith(path.resolve(dir) + path.sep)) throw new Error(`zip entry ${name} points outside ${dir}`);
    if (name.endsWith("/")) continue;
    const dataAt = localAt + 30 + archive.readUInt16LE(localAt + 26) + archive.readUInt16LE(localAt + 28);
    const packed = archive.subarray(dataAt, dataAt + packedSize);
    if (method !== 0 && method !== 8) throw new Error(`zip entry ${name}: unsupported compression method ${method}`);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, method === 8 ? inflateRawSync(packed) : packed);
  }
  return count;
}

async function main(): Promise<void> {
  refuseUnknownInputs("actions/download-artifact", ["name", "pattern", "path", "merge-multiple"]);
  const name = input("name");
  const pattern = input("pattern");
  const given = input("path");
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const dest = path.resolve(workspace, given.startsWith("~") ? path.join(homedir(), given.slice(1)) : given || ".");
  const ids = backendIds();
  let artifacts = (await listArtifacts(ids, name || undefined)).map((a) => a.name);
  if (name) {
    if (!artifacts.includes(name)) throw new Error(`Unable to download artifact(s): Artifact not found for name: ${name}`);
    artifacts = [name];
  } else if (pattern) {
    artifacts = artifacts.filter((a) => path.matchesGlob(a, pattern));
  }
  info(`Found ${artifacts.length} artifact(s)${pattern ? ` matching ${pattern}` : ""}`);
  const merge = !!name || booleanInput("merge-multiple", false);
  for (const artifact of artifacts) {
    const { signedUrl } = await resultsCall<{ signedUrl: string }>("GetSignedArtifactURL", { ...ids, name: artifact });
    const response = await fetch(signedUrl);
    if (!response.ok) throw new Error(`download of ${artifact}: ${response.status}`);
    const into = merge ? dest : path.join(dest, artifact);
    mkdirSync(into, { recursive: true });
    const files = unzip(Buffer.from(await response.arrayBuffer()), into);
    info(`Artifact ${artifact}: ${files} file(s) into ${into}`);
  }
  info(`Total of ${artifacts.length} artifact(s) downloaded`);
  setOutput("download-path", dest);
}

await runStep(main);
