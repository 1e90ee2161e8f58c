// Offline equivalent of actions/setup-node (see action.yml): resolves the version spec against the tool cache,
// the first place the real action looks, and adds that Node's bin/ to PATH.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { addPath, info, input, refuseUnknownInputs, runStep, setOutput } from "../shared/action-io.ts";

const ARCH: Record<string, string> = { x64: "x64", arm64: "arm64" };

/** The highest cached version matching a spec such as `24`, `24.x`, `24.21` or `v24.21.0`. */
function resolveVersion(spec: string, cached: string[]): string | undefined {
  const wanted = spec.trim().replace(/^v/, "").replace(/(\.x)+$/, "").split(".");
  if (wanted.some((part) => !/^\d+$/.test(part)) || wanted.length > 3) {
    throw new Error(`node-version "${spec}": this offline equivalent understands versions such as 24, 24.x or 24.21.0 (no ranges, aliases or lts/*)`);
  }
  const numeric = (v: string) => v.split(".").map(Number);
  return cached
    .filter((v) => /^\d+\.\d+\.\d+$/.test(v) && wanted.every((part, i) => numeric(v)[i] === Number(part)))
    .sort((a, b) => {
      const [x, y] = [numeric(a), numeric(b)];
      return x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]!;
    })
    .at(-1);
}

async function main(): Promise<void> {
  refuseUnknownInputs("actions/setup-node", ["node-version", "node-version-file", "architecture"]);
  let spec = input("node-version");
  const versionFile = input("node-version-file");
  if (!spec && versionFile) {
    const file = path.resolve(process.env.GITHUB_WORKSPACE ?? process.cwd(), versionFile);
    if (!existsSync(file)) throw new Error(`The specified node version file at: ${file} does not exist`);
    spec = readFileSync(file, "utf8").split("\n")[0]!.trim();
  }
  if (!spec) {
    info("No node-version given: the Node.js on PATH is used.");
    return;
  }
  const arch = ARCH[input("architecture") || process.arch];
  if (!arch) throw new Error(`architecture "${input("architecture") || process.arch}": expected x64 or arm64`);
  const root = path.join(process.env.RUNNER_TOOL_CACHE ?? "", "node");
  const cached = existsSync(root) ? readdirSync(root).filter((v) => existsSync(path.join(root, v, `${arch}.complete`))) : [];
  const version = resolveVersion(spec, cached);
  if (!version) {
    throw new Error(`Node.js ${spec} (${arch}) is not in the runner's tool cache (${root} holds ${cached.join(", ") || "nothing"}); this offline equivalent of actions/setup-node never downloads`);
  }
  addPath(path.join(root, version, arch, "bin"));
  info(`Found in cache @ ${path.join(root, version, arch)}`);
  setOutput("node-version", `v${version}`);
}

await runStep(main);
