// Just enough of the DNS wire format (RFC 1035 §4.1) for a liveness probe: one
// A question out, and a check that what came back is an answer to it. The
// answer's content does not matter: NXDOMAIN or SERVFAIL from the server still
// prove that the path through RED to it and back works.

const HEADER = 12;
const FLAG_QR = 0x8000; // this is a response
const FLAG_RD = 0x0100; // recursion desired, as any stub resolver asks
const TYPE_A = 1;
const CLASS_IN = 1;

const RCODES = ["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"];

export function isQueryName(name: string): boolean {
  const labels = name.replace(/\.$/, "").split(".");
  return (
    name.length > 0 &&
    name.length <= 253 &&
    labels.every((l) => /^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/.test(l))
  );
}

export function encodeQuery(id: number, name: string): Uint8Array {
  const labels = name.replace(/\.$/, "").split(".");
  const qname = labels.reduce((n, l) => n + 1 + l.length, 1);
  const buf = new Uint8Array(HEADER + qname + 4);
  const view = new DataView(buf.buffer);
  view.setUint16(0, id);
  view.setUint16(2, FLAG_RD);
  view.setUint16(4, 1); // QDCOUNT; AN/NS/ARCOUNT stay 0
  let at = HEADER;
  for (const label of labels) {
    buf[at++] = label.length;
    for (let i = 0; i < label.length; i++) buf[at++] = label.charCodeAt(i);
  }
  buf[at++] = 0; // root label
  view.setUint16(at, TYPE_A);
  view.setUint16(at + 2, CLASS_IN);
  return buf;
}

export type ReplyCheck = { match: true; rcode: string } | { match: false; why: string };

// A reply counts when it is a response (QR set) carrying our id. Everything
// past the header is the server's business.
export function checkReply(id: number, msg: Uint8Array): ReplyCheck {
  if (msg.length < HEADER) return { match: false, why: `short message (${msg.length} bytes)` };
  const view = new DataView(msg.buffer, msg.byteOffset, msg.byteLength);
  if (view.getUint16(0) !== id) return { match: false, why: "id does not match" };
  const flags = view.getUint16(2);
  if ((flags & FLAG_QR) === 0) return { match: false, why: "not a response" };
  const rcode = flags & 0xf;
  return { match: true, rcode: RCODES[rcode] ?? `RCODE${rcode}` };
}
