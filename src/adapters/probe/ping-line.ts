// One line of iputils ping's output, as the long-running ping of the daemon's
// fast rounds prints it (-n -O): a reply, or a request that got none by the
// time the next was sent.

export type PingLine =
  { kind: "reply"; seq: number; rttMs: number } | { kind: "no-answer"; seq: number } | null;

const REPLY = /icmp_seq=(\d+) .*time=([0-9.]+) ms/;
const NO_ANSWER = /^no answer yet for icmp_seq=(\d+)/;

export function parsePingLine(line: string): PingLine {
  const reply = REPLY.exec(line);
  if (reply) return { kind: "reply", seq: Number(reply[1]), rttMs: Number(reply[2]) };
  const none = NO_ANSWER.exec(line);
  return none ? { kind: "no-answer", seq: Number(none[1]) } : null;
}
