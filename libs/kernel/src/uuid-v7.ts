import { randomFillSync } from 'node:crypto';

/**
 * RFC 9562 UUID version 7: 48 bits of Unix milliseconds, then randomness. Ids sort by creation time,
 * and the time can be read back from the id — the API uses it to find the day partition of a
 * decision from its id alone.
 */
// Random bytes come from a pool (as crypto.randomUUID does): one randomFillSync per 409 ids, not one each.
const RANDOM_BYTES_PER_ID = 10;
const randomPool = Buffer.alloc(RANDOM_BYTES_PER_ID * 409);
let randomOffset = randomPool.length;

export function uuidv7(timeMs: number = Date.now()): string {
  if (randomOffset + RANDOM_BYTES_PER_ID > randomPool.length) {
    randomFillSync(randomPool);
    randomOffset = 0;
  }
  const bytes = Buffer.allocUnsafe(16);
  randomPool.copy(bytes, 6, randomOffset, randomOffset + RANDOM_BYTES_PER_ID);
  randomOffset += RANDOM_BYTES_PER_ID;
  const time = Math.floor(timeMs);
  bytes[0] = Math.floor(time / 2 ** 40) & 0xff;
  bytes[1] = Math.floor(time / 2 ** 32) & 0xff;
  bytes[2] = (time >>> 24) & 0xff;
  bytes[3] = (time >>> 16) & 0xff;
  bytes[4] = (time >>> 8) & 0xff;
  bytes[5] = time & 0xff;
  bytes[6] = 0x70 | ((bytes[6] as number) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] as number) & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** 9999-12-31T23:59:59.999Z: the 48-bit time field reaches year 10889, which no ISO-8601 date or database timestamp takes. */
const LATEST_TIME_MS = 253_402_300_799_999;

/**
 * The creation time (Unix ms) of a version-7 UUID, or null for any other string — and for one whose
 * time lies past year 9999: no id made here carries it, and passing it on as a date would be refused
 * by the database.
 */
export function uuidv7Time(id: string): number | null {
  if (!UUID_V7.test(id)) return null;
  const time = parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
  return time <= LATEST_TIME_MS ? time : null;
}
