/**
 * Lets this test process reach the Cloudflare stand-in's workers.dev hosts the way a child process given
 * `cf.env` does: the run's CA is trusted and the network shim routes TLS connections to the stand-in. Needed for
 * clients that connect by themselves (autocannon, the load engine); `cf.request` covers plain requests.
 * Once per process: the shim patches `tls.connect` for the rest of it.
 */
import { readFileSync } from "node:fs";
import tls from "node:tls";
import type { CloudflareStandIn } from "../cloudflare/index.ts";

let joined: string | undefined;

export async function joinStandInNetwork(cf: CloudflareStandIn): Promise<void> {
  if (joined) throw new Error(`this process already routes to the stand-in at ${joined}: one stand-in per test file`);
  joined = cf.baseUrl;
  tls.setDefaultCACertificates([...tls.getCACertificates("default"), readFileSync(cf.caFile, "utf8")]);
  process.env.CLOUDFLARE_STAND_IN_HOSTS = cf.env.CLOUDFLARE_STAND_IN_HOSTS;
  process.env.CLOUDFLARE_STAND_IN_TLS = cf.env.CLOUDFLARE_STAND_IN_TLS;
  await import(new URL("../cloudflare/network-shim.mjs", import.meta.url).href);
}
