#!/usr/bin/env node
// Re-verifies a booking-ledger audit export with nothing but Node's standard
// library, following docs/audit.md "Verifying an export" step by step. It
// deliberately imports no project code: an outside auditor can read and run
// it alone. Usage: node verify-audit-export.mjs <export.jsonl> <public-key.pem>
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';

const [exportFile, keyFile] = process.argv.slice(2);
if (!exportFile || !keyFile) {
  process.stderr.write('usage: node verify-audit-export.mjs <export.jsonl> <public-key.pem>\n');
  process.exit(2);
}
const fail = (message) => {
  process.stdout.write(`${JSON.stringify({ ok: false, reason: message })}\n`);
  process.exit(1);
};
const sha256hex = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

// Step 5's canonical JSON: object keys sorted at every depth, no whitespace.
const canonical = (value) => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
};

const bytes = readFileSync(exportFile, 'utf8');
// Step 1: the last line is the signature line; every byte before it is the body.
const trimmed = bytes.endsWith('\n') ? bytes.slice(0, -1) : bytes;
const cut = trimmed.lastIndexOf('\n');
const body = cut < 0 ? '' : trimmed.slice(0, cut + 1);
const signatureLine = JSON.parse(trimmed.slice(cut + 1));

// Step 2: the Ed25519 signature over the manifest text.
const publicKey = createPublicKey(readFileSync(keyFile, 'utf8'));
const keyId = createHash('sha256')
  .update(publicKey.export({ type: 'spki', format: 'der' }))
  .digest('hex')
  .slice(0, 16);
if (signatureLine.keyId !== keyId) fail(`signed by key ${signatureLine.keyId}, not ${keyId}`);
const signed = verify(
  null,
  Buffer.from(signatureLine.manifest, 'utf8'),
  publicKey,
  Buffer.from(signatureLine.signature, 'base64'),
);
if (!signed) fail('the manifest signature does not verify with this public key');
const manifest = JSON.parse(signatureLine.manifest);

// Step 3: the body is exactly what was signed.
if (sha256hex(body) !== manifest.bodySha256) fail('the body does not match bodySha256: altered');

// Steps 4–6: every event's hash, and the links within each stream.
const lines = body === '' ? [] : body.slice(0, -1).split('\n');
if (lines.length !== manifest.events)
  fail(`${lines.length} events, manifest says ${manifest.events}`);
const streams = new Map(manifest.streams.map((s) => [s.stream, s]));
const last = new Map();
for (const line of lines) {
  const e = JSON.parse(line);
  const span = streams.get(e.stream);
  if (!span) fail(`stream ${e.stream} is not in the manifest`);
  const previous = last.get(e.stream) ?? {
    revision: span.firstRevision - 1,
    hash: span.previousHash,
  };
  const where = `${e.stream}@${e.revision}`;
  if (e.revision !== previous.revision + 1)
    fail(`${where}: expected revision ${previous.revision + 1}`);
  if (e.metadata.previousHash !== previous.hash) fail(`${where}: previousHash breaks the chain`);
  const { hash, previousHash: _p, ...covered } = e.metadata;
  const recomputed = sha256hex(
    previous.hash +
      canonical({
        stream: e.stream,
        revision: e.revision,
        eventId: e.eventId,
        type: e.type,
        schemaVersion: e.schemaVersion,
        data: e.data,
        metadata: covered,
      }),
  );
  if (recomputed !== hash) fail(`${where}: the hash does not match the event: altered`);
  last.set(e.stream, { revision: e.revision, hash });
}
for (const span of manifest.streams) {
  const seen = last.get(span.stream);
  if (seen?.revision !== span.lastRevision || seen.hash !== span.lastHash) {
    fail(`${span.stream}: the chain head differs from the manifest`);
  }
}
process.stdout.write(
  `${JSON.stringify({ ok: true, events: lines.length, streams: manifest.streams.length, keyId, fromPosition: manifest.fromPosition, nextPosition: manifest.nextPosition })}\n`,
);
