// `npm run -s cloudflare-stand-in`: starts the Cloudflare stand-in and prints one JSON line
// `{"baseUrl", "accountId", "apiToken", "env": {…}}` — the variables a process needs to deploy to it and reach
// what it serves — then runs until SIGINT or SIGTERM. Flags: --account-id, --token, --subdomain, --seed.
import { parseArgs } from "node:util";
import { formatViolations, startCloudflareStandIn } from "./index.ts";

const { values } = parseArgs({
  options: {
    "account-id": { type: "string" },
    token: { type: "string" },
    subdomain: { type: "string" },
    seed: { type: "string" },
    "worker-logs": { type: "boolean", default: false },
  },
  strict: true,
});
if (values["account-id"] !== undefined && !/^[0-9a-f]{32}$/.test(values["account-id"])) {
  process.stderr.write("--account-id: expected 32 hexadecimal characters\n");
  process.exit(2);
}
const standIn = await startCloudflareStandIn({
  ...(values["account-id"] ? { accountId: values["account-id"] } : {}),
  ...(values.token ? { token: values.token } : {}),
  ...(values.subdomain ? { subdomain: values.subdomain } : {}),
  ...(values.seed ? { seed: Number(values.seed) } : {}),
  ...(values["worker-logs"] ? { onWorkerLog: (text: string) => process.stderr.write(text) } : {}),
});
process.stdout.write(`${JSON.stringify({ baseUrl: standIn.baseUrl, accountId: standIn.accountId, apiToken: standIn.apiToken, env: standIn.env })}\n`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  if (standIn.violations.length > 0) process.stderr.write(`Cloudflare stand-in violations:\n${formatViolations(standIn.violations)}\n`);
  await standIn.close();
  process.exit(standIn.violations.length > 0 ? 1 : 0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
