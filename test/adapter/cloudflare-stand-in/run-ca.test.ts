// The stand-in's certificate authority: every certificate it issues is one OpenSSL accepts, whatever the
// random serial. A serial whose first octets were 0x00 0x0X was encoded with a leading zero ("illegal
// padding"); the proxy then closed every connection to that host before TLS, about one run in a hundred.
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { test } from "node:test";
import tls from "node:tls";
import { createRunCa, type RandomSource } from "../../cloudflare/ca.ts";

const sources: Record<string, RandomSource> = {
  "all zero": (size) => Buffer.alloc(size, 0),
  "zero then small": (size) => Buffer.from([0x00, 0x05, ...Buffer.alloc(size - 2, 0x11)]),
  "top bit set": (size) => Buffer.alloc(size, 0xff),
  "0x80 then zero": (size) => Buffer.from([0x80, ...Buffer.alloc(size - 1, 0)]),
};

for (const [name, random] of Object.entries(sources)) {
  test(`the run's CA issues certificates OpenSSL accepts when the serial's random octets are ${name}`, async () => {
    const ca = await createRunCa("test CA", random);
    const leaf = await ca.leaf("shop.example.workers.dev");
    const caCert = new X509Certificate(ca.certPem);
    const cert = new X509Certificate(leaf.certPem);
    assert.ok(cert.verify(caCert.publicKey), "the leaf is signed by the CA");
    assert.equal(cert.checkHost("shop.example.workers.dev"), "shop.example.workers.dev");
    assert.match(cert.serialNumber, /^[4-7][0-9A-F]{31}$/, "a positive 16-octet serial with no leading zero octet");
    assert.ok(tls.createSecureContext({ key: leaf.keyPem, cert: `${leaf.certPem}${ca.certPem}` }));
    assert.ok(tls.createSecureContext({ ca: ca.certPem }), "clients can trust the CA certificate");
  });
}
