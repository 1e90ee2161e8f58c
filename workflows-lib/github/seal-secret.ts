import nacl from "tweetnacl";
import blake from "blakejs";

/**
 * libsodium's `crypto_box_seal`, the encryption GitHub asks for secret values: an ephemeral X25519 key pair,
 * nonce = BLAKE2b-192(ephemeral public key ‖ recipient public key), XSalsa20-Poly1305 box; the output is the
 * ephemeral public key followed by the box. `publicKey` and the result are base64, as GitHub's API has them.
 */
export function sealSecret(value: string, publicKey: string): string {
  const recipient = Buffer.from(publicKey, "base64");
  if (recipient.length !== nacl.box.publicKeyLength) throw new Error(`the repository's public key is ${recipient.length} bytes, expected ${nacl.box.publicKeyLength}`);
  const ephemeral = nacl.box.keyPair();
  const nonce = sealNonce(ephemeral.publicKey, recipient);
  const box = nacl.box(new TextEncoder().encode(value), nonce, recipient, ephemeral.secretKey);
  ephemeral.secretKey.fill(0);
  return Buffer.concat([ephemeral.publicKey, box]).toString("base64");
}

/** `crypto_box_seal_open`: the value of a sealed box, or undefined when it was not sealed for this key pair. */
export function openSealed(sealed: string, keyPair: { publicKey: Uint8Array; secretKey: Uint8Array }): string | undefined {
  const bytes = Buffer.from(sealed, "base64");
  if (bytes.length < nacl.box.publicKeyLength + nacl.box.overheadLength) return undefined;
  const ephemeral = bytes.subarray(0, nacl.box.publicKeyLength);
  const opened = nacl.box.open(bytes.subarray(nacl.box.publicKeyLength), sealNonce(ephemeral, keyPair.publicKey), ephemeral, keyPair.secretKey);
  return opened ? new TextDecoder().decode(opened) : undefined;
}

function sealNonce(ephemeral: Uint8Array, recipient: Uint8Array): Uint8Array {
  const input = new Uint8Array(ephemeral.length + recipient.length);
  input.set(ephemeral);
  input.set(recipient, ephemeral.length);
  return blake.blake2b(input, undefined, nacl.box.nonceLength);
}
