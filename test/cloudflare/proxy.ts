// How processes reach what the stand-in serves at the hosts Cloudflare uses, with no change to their code:
// an HTTP proxy (HTTPS_PROXY/HTTP_PROXY, honoured by Node 24 with NODE_USE_ENV_PROXY=1, by curl, k6 and
// browsers) that opens `CONNECT` tunnels to `*.<subdomain>.workers.dev` and `api.cloudflare.com` and
// terminates TLS there with a certificate of the run's CA; and a TLS port that serves the same hosts by SNI
// for clients that connect by themselves (see network-shim.ts). Any other host is refused and recorded in
// `egress`: nothing leaves the machine.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import net, { type AddressInfo } from "node:net";
import tls from "node:tls";
import type { RunCa } from "./ca.ts";

/**
 * How long the stand-in keeps an idle keep-alive connection open. Node's default (5 s) is barely above what
 * clients assume (undici reuses a socket for up to the server's `Keep-Alive: timeout` less 2 s, or 4 s): on a
 * loaded machine a client's timer runs late, it sends on a socket the server is closing that instant, and the
 * request dies with ECONNRESET (`fetch failed` from `alchemy state list` once, in the sweep test). Cloudflare
 * keeps idle connections far longer; so does the stand-in. Sockets are destroyed on close either way.
 */
export const IDLE_KEEP_ALIVE_MS = 65_000;

export interface ProxyRoutes {
  /** True when the stand-in answers for this host. */
  serves(host: string): boolean;
  /** Answers one decrypted (or plain-HTTP) request for a served host. */
  handle(req: IncomingMessage, res: ServerResponse, scheme: "https" | "http"): void;
}

export interface EgressAttempt {
  host: string;
  port: number;
  via: "connect" | "http" | "tls";
}

export interface StandInProxy {
  /** `http://127.0.0.1:<port>`: the value of HTTPS_PROXY / HTTP_PROXY. */
  url: string;
  /** Port of the TLS listener that serves the stand-in's hosts by SNI. */
  tlsPort: number;
  /** Connections refused because their host is not the stand-in's. */
  egress: EgressAttempt[];
  close(): Promise<void>;
}

export async function startProxy(ca: RunCa, routes: ProxyRoutes): Promise<StandInProxy> {
  const egress: EgressAttempt[] = [];
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
  };

  // Decrypted requests from tunnels and the SNI port.
  const inner = http.createServer((req, res) => routes.handle(req, res, "https"));
  inner.keepAliveTimeout = IDLE_KEEP_ALIVE_MS;

  // A host the stand-in serves but cannot present a certificate for is the stand-in's own defect: the client
  // only sees its connection closed before TLS, so the cause goes to stderr (once per host).
  const reported = new Set<string>();
  const secureContext = async (servername: string) => {
    try {
      const leaf = await ca.leaf(servername);
      return tls.createSecureContext({ key: leaf.keyPem, cert: `${leaf.certPem}${ca.certPem}` });
    } catch (error) {
      if (!reported.has(servername)) {
        reported.add(servername);
        process.stderr.write(`Cloudflare stand-in: no certificate for ${servername}: ${(error as Error).message}\n`);
      }
      throw error;
    }
  };
  const sniCallback = (servername: string, done: (error: Error | null, context?: tls.SecureContext) => void) => {
    const host = servername.toLowerCase();
    if (!routes.serves(host)) {
      egress.push({ host, port: 443, via: "tls" });
      done(new Error(`the Cloudflare stand-in does not serve ${host}`));
      return;
    }
    secureContext(host).then((context) => done(null, context), (error: Error) => done(error));
  };

  const outer = http.createServer((req, res) => {
    // Absolute-form request: plain HTTP through the proxy.
    let target: URL;
    try {
      target = new URL(req.url ?? "");
    } catch {
      res.writeHead(400).end("proxy: absolute URL expected\n");
      return;
    }
    if (!routes.serves(target.hostname)) {
      egress.push({ host: target.hostname, port: Number(target.port || 80), via: "http" });
      res.writeHead(502, { "content-type": "text/plain" }).end(`The Cloudflare stand-in's proxy does not reach ${target.hostname}: there is no network here.\n`);
      return;
    }
    req.url = target.pathname + target.search;
    req.headers.host = target.host;
    routes.handle(req, res, "http");
  });
  outer.keepAliveTimeout = IDLE_KEEP_ALIVE_MS;
  outer.on("connection", track);
  outer.on("connect", (req: IncomingMessage, socket: net.Socket, head: Buffer) => {
    track(socket);
    const [host = "", portText = "443"] = (req.url ?? "").split(":");
    const hostname = host.toLowerCase();
    if (!routes.serves(hostname)) {
      egress.push({ host: hostname, port: Number(portText), via: "connect" });
      socket.end("HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/plain\r\n\r\nThe Cloudflare stand-in's proxy reaches only its own hosts.\n");
      return;
    }
    socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    if (head.length > 0) socket.unshift(head);
    if (portText === "80") {
      inner.emit("connection", socket);
      return;
    }
    secureContext(hostname).then(
      (context) => {
        const secure = new tls.TLSSocket(socket, { isServer: true, secureContext: context, ALPNProtocols: ["http/1.1"] });
        secure.on("error", () => socket.destroy());
        track(secure);
        inner.emit("connection", secure);
      },
      () => socket.destroy(),
    );
  });

  const sni = tls.createServer({ SNICallback: sniCallback, ALPNProtocols: ["http/1.1"] }, (secure) => {
    track(secure);
    inner.emit("connection", secure);
  });
  sni.on("connection", track);
  sni.on("tlsClientError", () => undefined);

  await Promise.all([listen(outer), listen(sni)]);
  return {
    url: `http://127.0.0.1:${(outer.address() as AddressInfo).port}`,
    tlsPort: (sni.address() as AddressInfo).port,
    egress,
    async close() {
      for (const socket of sockets) socket.destroy();
      await Promise.all([close(outer), close(sni), close(inner)]);
    },
  };
}

function listen(server: net.Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
}

function close(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
