// TEST CODE: the LAN client behind GREEN, run inside the site's "lan"
// namespace. Each sample does what a user's machine does, at once: a ping to
// a host on the internet, a DNS lookup of the web server's name at the ISP-
// independent resolver, and an HTTP fetch of the address that lookup gave.
// Prints one JSON line per sample: {"t":ms,"icmp":bool,"dns":bool,"http":bool}.
//
//   bun lan-client.ts once  PING_TARGET DNS_SERVER NAME     one sample, exit 0 if all ok
//   bun lan-client.ts watch PING_TARGET DNS_SERVER NAME MS  a sample every MS ms until killed

import { createSocket } from "node:dgram";
import { encodeQuery } from "../../src/adapters/probe/dns-message.ts";

const TIMEOUT_MS = 1000;
const [mode, pingTarget = "", dnsServer = "", name = "", everyMs = "250"] = process.argv.slice(2);

async function icmp(): Promise<boolean> {
  const p = Bun.spawn(["ping", "-n", "-q", "-c", "1", "-W", "1", pingTarget], {
    stdout: "ignore",
    stderr: "ignore",
  });
  return (await p.exited) === 0;
}

// The A record of NAME, or null: the last 4 bytes of a NOERROR answer with
// one record (dnsmasq's reply to an --address name), which is all we ask.
function resolve(): Promise<string | null> {
  return new Promise((done) => {
    const sock = createSocket("udp4");
    const id = Math.floor(Math.random() * 0xffff);
    const finish = (v: string | null) => {
      clearTimeout(timer);
      sock.close();
      done(v);
    };
    const timer = setTimeout(() => finish(null), TIMEOUT_MS);
    sock.on("error", () => finish(null));
    sock.on("message", (msg: Buffer) => {
      const ok =
        msg.readUInt16BE(0) === id && (msg.readUInt16BE(2) & 0x000f) === 0 && msg.readUInt16BE(6) > 0;
      finish(ok ? [...msg.subarray(msg.length - 4)].join(".") : null);
    });
    sock.send(encodeQuery(id, name), 53, dnsServer);
  });
}

async function http(address: string | null): Promise<boolean> {
  if (address === null) return false;
  try {
    const r = await fetch(`http://${address}/`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    return r.ok && (await r.text()).includes("hello");
  } catch {
    return false;
  }
}

async function sample(): Promise<{ t: number; icmp: boolean; dns: boolean; http: boolean }> {
  const t = Date.now();
  const [ping, address] = await Promise.all([icmp(), resolve()]);
  return { t, icmp: ping, dns: address !== null, http: await http(address) };
}

if (mode === "once") {
  const s = await sample();
  console.log(JSON.stringify(s));
  process.exit(s.icmp && s.dns && s.http ? 0 : 1);
} else if (mode === "watch") {
  for (;;) {
    const started = Date.now();
    void sample().then((s) => console.log(JSON.stringify(s)));
    await Bun.sleep(Math.max(0, Number(everyMs) - (Date.now() - started)));
  }
} else {
  console.error("usage: lan-client.ts once|watch PING_TARGET DNS_SERVER NAME [MS]");
  process.exit(2);
}
