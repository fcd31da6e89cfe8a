import { describe, expect, test } from "bun:test";
import { checkReply, encodeQuery, isQueryName } from "../../../src/adapters/probe/dns-message.ts";

describe("DNS probe message", () => {
  test("encodes an A/IN question with RD set", () => {
    const q = encodeQuery(0xbeef, "ping.ipfire.org");
    expect(Buffer.from(q).toString("hex")).toBe(
      // id   flags qd   an   ns   ar   4ping       6ipfire           3org    0 A    IN
      "beef" +
        "0100" +
        "0001" +
        "0000" +
        "0000" +
        "0000" +
        "0470696e67" +
        "06697066697265" +
        "036f7267" +
        "00" +
        "0001" +
        "0001",
    );
    expect(encodeQuery(1, "example.")).toEqual(encodeQuery(1, "example"));
  });

  test("accepts only responses carrying our id, whatever their rcode", () => {
    const reply = (id: number, flags: number) => {
      const b = new Uint8Array(12);
      new DataView(b.buffer).setUint16(0, id);
      new DataView(b.buffer).setUint16(2, flags);
      return b;
    };
    expect(checkReply(7, reply(7, 0x8180))).toEqual({
      match: true,
      rcode: "NOERROR",
    });
    expect(checkReply(7, reply(7, 0x8183))).toEqual({
      match: true,
      rcode: "NXDOMAIN",
    });
    expect(checkReply(7, reply(7, 0x8182))).toEqual({
      match: true,
      rcode: "SERVFAIL",
    });
    expect(checkReply(7, reply(8, 0x8180))).toMatchObject({
      match: false,
      why: "id does not match",
    });
    expect(checkReply(7, reply(7, 0x0100))).toMatchObject({
      match: false,
      why: "not a response",
    });
    expect(checkReply(7, new Uint8Array(5))).toMatchObject({ match: false });
  });

  test("refuses names the wire format cannot carry", () => {
    expect(isQueryName("ping.ipfire.org")).toBe(true);
    expect(isQueryName("ping.ipfire.org.")).toBe(true);
    expect(isQueryName("")).toBe(false);
    expect(isQueryName("a..b")).toBe(false);
    expect(isQueryName(`${"a".repeat(64)}.org`)).toBe(false);
    expect(isQueryName("with space.org")).toBe(false);
  });
});
