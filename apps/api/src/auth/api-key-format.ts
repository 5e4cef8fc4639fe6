import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `dp_k3m9x2p7q4wz_<secret>`: the part before the last `_` is the public prefix
 * (stored, shown in lists and logs, used to find the key), the rest is the secret (never stored:
 * only the SHA-256 of the whole key is).
 */
export const API_KEY_PATTERN = /^(dp_[a-z0-9_]{3,36})_([A-Za-z0-9]{16,128})$/;

const BASE36 = 'abcdefghijklmnopqrstuvwxyz0123456789';
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomString(alphabet: string, length: number): string {
  // Rejection sampling: every character equally likely.
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit && out.length < length) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

export interface ParsedApiKey {
  prefix: string;
}

export function parseApiKey(key: string): ParsedApiKey | null {
  const match = API_KEY_PATTERN.exec(key);
  return match ? { prefix: match[1] as string } : null;
}

/** A new key: 12 random base-36 characters of prefix, 40 base-62 characters (≈238 bits) of secret. */
export function generateApiKey(): { key: string; prefix: string } {
  const prefix = `dp_${randomString(BASE36, 12)}`;
  return { key: `${prefix}_${randomString(BASE62, 40)}`, prefix };
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex digests. */
export function sameDigest(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}
