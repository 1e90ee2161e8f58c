// Preloaded into every Node process of a run against the Cloudflare stand-in (NODE_OPTIONS=--import=…): the
// stand-in's hosts resolve to its TLS port the way DNS would send them to Cloudflare. Needed for clients that
// neither use the global fetch nor honour HTTPS_PROXY: Alchemy's CloudflareStateStore sends its requests
// with an undici Agent of its own (util/safe-fetch.ts), and autocannon opens its sockets itself. Everything
// else (the kit's fetch, curl, k6, browsers) goes through the proxy. Plain JavaScript, so that any Node
// (npm's too) can preload it.
//
// CLOUDFLARE_STAND_IN_HOSTS: comma-separated host names; an entry starting with "." matches its subdomains.
// CLOUDFLARE_STAND_IN_TLS: "127.0.0.1:<port>" of the stand-in's SNI listener.
import net from "node:net";
import tls from "node:tls";

const hosts = (process.env.CLOUDFLARE_STAND_IN_HOSTS ?? "").split(",").map((h) => h.trim().toLowerCase()).filter(Boolean);
const [tlsHost, tlsPort] = (process.env.CLOUDFLARE_STAND_IN_TLS ?? "").split(":");

const served = (host) => {
  if (typeof host !== "string" || !host) return false;
  const name = host.toLowerCase().replace(/\.$/, "");
  return hosts.some((h) => (h.startsWith(".") ? name.endsWith(h) || name === h.slice(1) : name === h));
};

if (hosts.length > 0 && tlsHost && tlsPort) {
  const original = tls.connect;
  tls.connect = function connect(...args) {
    // tls.connect(options[, cb]) | (port[, host][, options][, cb]) | (path[, options][, cb])
    let options;
    let callback;
    if (typeof args[0] === "object" && args[0] !== null) {
      options = { ...args[0] };
      callback = typeof args[1] === "function" ? args[1] : undefined;
    } else if (typeof args[0] === "number" || (typeof args[0] === "string" && /^\d+$/.test(args[0]))) {
      options = { port: Number(args[0]) };
      let i = 1;
      if (typeof args[i] === "string") options.host = args[i++];
      if (typeof args[i] === "object" && args[i] !== null) Object.assign(options, args[i++]);
      if (typeof args[i] === "function") callback = args[i];
    } else return original.apply(this, args);
    const host = options.host ?? options.servername;
    if (!served(host) || options.socket || options.path) return original.apply(this, args);
    const rewritten = { ...options, host: tlsHost, port: Number(tlsPort), servername: options.servername || host };
    delete rewritten.lookup;
    return callback ? original.call(this, rewritten, callback) : original.call(this, rewritten);
  };
  // A plain connection to a stand-in host (http://…workers.dev) would leave the machine: refuse it loudly.
  const originalNet = net.connect;
  net.connect = net.createConnection = function connect(...args) {
    const first = args[0];
    const host = typeof first === "object" && first !== null ? first.host : typeof args[1] === "string" ? args[1] : undefined;
    if (served(host)) throw new Error(`the Cloudflare stand-in serves ${host} over HTTPS only (or through HTTPS_PROXY)`);
    return originalNet.apply(this, args);
  };
}
