import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * `X-Alchkit-Signature: sha256=<hex>`: HMAC-SHA256 of the raw request body with the shared secret, the scheme
 * GitHub uses for `X-Hub-Signature-256`, so receivers can reuse their verification code.
 */
export const SIGNATURE_HEADER = "x-alchkit-signature";

export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

/** Constant-time check of a signature header against the body, as a receiver should do it. */
export function verifySignature(body: string, secret: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(body, secret));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
