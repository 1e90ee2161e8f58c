// A certificate authority made for one run of the stand-in: its certificate goes to NODE_EXTRA_CA_CERTS (or
// curl's --cacert), and the proxy presents a certificate it signs for whatever host a client asks for
// (`<script>.<subdomain>.workers.dev`, `api.cloudflare.com`), so clients verify TLS as they would in
// production. Certificates are X.509 v3 with ECDSA P-256 keys, DER-encoded here (node:crypto signs).
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";

export interface RunCa {
  /** PEM of the CA certificate (what clients trust). */
  certPem: string;
  /** A key and certificate for `host`, signed by the CA (cached per host). */
  leaf(host: string): Promise<{ keyPem: string; certPem: string }>;
}

/** Where serial numbers come from: `randomBytes` (tests pass a fixed source to reach the edge cases). */
export type RandomSource = (size: number) => Buffer;

export async function createRunCa(name = "alchkit Cloudflare stand-in CA", random: RandomSource = randomBytes): Promise<RunCa> {
  const ca = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const caSpki = ca.publicKey.export({ type: "spki", format: "der" });
  const caKeyId = keyIdentifier(caSpki);
  const caName = distinguishedName(name);
  const validity = validityPeriod();
  const caCert = certificate(
    {
      issuer: caName,
      subject: caName,
      validity,
      spki: caSpki,
      extensions: [
        extension(OID.basicConstraints, true, seq(bool(true))),
        extension(OID.keyUsage, true, bitString(Buffer.from([0x06]), 1)), // keyCertSign, cRLSign
        extension(OID.subjectKeyIdentifier, false, octets(caKeyId)),
      ],
    },
    ca.privateKey,
    random,
  );
  const leaves = new Map<string, Promise<{ keyPem: string; certPem: string }>>();
  const issue = async (host: string) => {
    const leaf = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const spki = leaf.publicKey.export({ type: "spki", format: "der" });
    const cert = certificate(
      {
        issuer: caName,
        subject: distinguishedName(host),
        validity,
        spki,
        extensions: [
          extension(OID.basicConstraints, true, seq()),
          extension(OID.keyUsage, true, bitString(Buffer.from([0x80]), 7)), // digitalSignature
          extension(OID.extKeyUsage, false, seq(oid(OID.serverAuth))),
          extension(OID.subjectAltName, false, seq(tlv(0x82, Buffer.from(host, "ascii")))),
          extension(OID.subjectKeyIdentifier, false, octets(keyIdentifier(spki))),
          extension(OID.authorityKeyIdentifier, false, seq(tlv(0x80, caKeyId))),
        ],
      },
      ca.privateKey,
      random,
    );
    return { keyPem: leaf.privateKey.export({ type: "pkcs8", format: "pem" }).toString(), certPem: pem(cert) };
  };
  return {
    certPem: pem(caCert),
    leaf(host) {
      let leaf = leaves.get(host);
      if (!leaf) leaves.set(host, (leaf = issue(host)));
      return leaf;
    },
  };
}

const OID = {
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  commonName: "2.5.4.3",
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  extKeyUsage: "2.5.29.37",
  serverAuth: "1.3.6.1.5.5.7.3.1",
  subjectAltName: "2.5.29.17",
  subjectKeyIdentifier: "2.5.29.14",
  authorityKeyIdentifier: "2.5.29.35",
};

interface CertificateFields {
  issuer: Buffer;
  subject: Buffer;
  validity: Buffer;
  spki: Buffer;
  extensions: Buffer[];
}

function certificate(fields: CertificateFields, signingKey: KeyObject, random: RandomSource): Buffer {
  const algorithm = seq(oid(OID.ecdsaWithSha256));
  const tbs = seq(
    tlv(0xa0, integer(Buffer.from([2]))), // v3
    integer(serial(random)),
    algorithm,
    fields.issuer,
    fields.validity,
    fields.subject,
    fields.spki,
    tlv(0xa3, seq(...fields.extensions)),
  );
  return seq(tbs, algorithm, bitString(sign("sha256", tbs, signingKey), 0));
}

function distinguishedName(commonName: string): Buffer {
  return seq(tlv(0x31, seq(oid(OID.commonName), tlv(0x0c, Buffer.from(commonName, "utf8")))));
}

function validityPeriod(): Buffer {
  const time = (d: Date) => tlv(0x17, Buffer.from(`${d.toISOString().slice(2, 19).replace(/[-:T]/g, "")}Z`, "ascii"));
  return seq(time(new Date(Date.now() - 3600_000)), time(new Date(Date.now() + 7 * 24 * 3600_000)));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
}

function keyIdentifier(spki: Buffer): Buffer {
  return createHash("sha1").update(spki).digest();
}

/**
 * A certificate serial (RFC 5280 4.1.2.2: a positive integer of at most 20 octets). The top bit is cleared
 * (positive) and the next one set, so the first octet is never zero: DER wants an INTEGER's shortest form, and
 * a leading zero octet before one below 0x80 is "illegal padding" to OpenSSL, which then refuses the
 * certificate. One serial in 256 had that with a plain random first octet, and the proxy could not present
 * the host's certificate to any client for the rest of the run.
 */
function serial(random: RandomSource): Buffer {
  const bytes = Buffer.from(random(16));
  bytes[0] = (bytes[0]! & 0x7f) | 0x40;
  return bytes;
}

function tlv(tag: number, value: Buffer): Buffer {
  const length = value.length;
  let header: Buffer;
  if (length < 0x80) header = Buffer.from([tag, length]);
  else {
    const bytes: number[] = [];
    for (let n = length; n > 0; n >>= 8) bytes.unshift(n & 0xff);
    header = Buffer.from([tag, 0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([header, value]);
}

const seq = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
const octets = (value: Buffer): Buffer => tlv(0x04, value);
const bool = (value: boolean): Buffer => tlv(0x01, Buffer.from([value ? 0xff : 0]));
const bitString = (value: Buffer, unusedBits: number): Buffer => tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), value]));
/** A non-negative INTEGER from its big-endian octets, in DER's shortest form. */
const integer = (value: Buffer): Buffer => {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start++;
  const octets = value.subarray(start);
  return tlv(0x02, octets.length === 0 ? Buffer.from([0]) : octets[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), octets]) : octets);
};

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split(".").map(Number);
  const bytes = [first * 40 + second];
  for (const part of rest) {
    const chunk = [part & 0x7f];
    for (let n = part >> 7; n > 0; n >>= 7) chunk.unshift((n & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function pem(der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}
