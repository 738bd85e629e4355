// Document ids as our app and automerge-repo write them (bs58check of 16 bytes, SHA-256d
// checksum, Bitcoin alphabet; /work/shared/SYNC-PROTOCOL.md §3), and a child's records id as
// crates/core derives it (`DocId::derived("records")`: SHA-256 of "shouwang:records" and the
// child id's bytes, first 16 bytes, marked as a v4 UUID).
import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const sha256 = (bytes) => createHash('sha256').update(bytes).digest();

function base58(bytes) {
  let n = BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
  let out = '';
  while (n > 0n) { out = ALPHABET[Number(n % 58n)] + out; n /= 58n; }
  for (const b of bytes) { if (b !== 0) break; out = `1${out}`; }
  return out;
}

function unbase58(text) {
  let n = 0n;
  for (const c of text) {
    const v = ALPHABET.indexOf(c);
    if (v < 0) throw new Error(`not base58: ${text}`);
    n = n * 58n + BigInt(v);
  }
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  const lead = text.match(/^1*/)[0].length;
  return Buffer.concat([Buffer.alloc(lead), Buffer.from(n === 0n ? '' : hex, 'hex')]);
}

export function encodeId(bytes) {
  return base58(Buffer.concat([bytes, sha256(sha256(bytes)).subarray(0, 4)]));
}

export function decodeId(text) {
  const raw = unbase58(text.replace(/^automerge:/, ''));
  const bytes = raw.subarray(0, raw.length - 4);
  if (!sha256(sha256(bytes)).subarray(0, 4).equals(raw.subarray(raw.length - 4)) || bytes.length !== 16) {
    throw new Error(`not a document id: ${text}`);
  }
  return bytes;
}

function asV4(bytes) {
  const b = Buffer.from(bytes.subarray(0, 16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  return b;
}

export function recordsId(childId) {
  return encodeId(asV4(createHash('sha256').update('shouwang:').update('records').update(decodeId(childId)).digest()));
}

/** A new id, as `new_doc_id()` gives a record its `id`. */
export function newId() {
  return encodeId(asV4(randomBytes(16)));
}
