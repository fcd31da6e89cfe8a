import { expect, test } from "bun:test";
import { roundTargets } from "../../../src/adapters/probe/targets.ts";

test("a round's targets: ICMP hosts, the gateway once and only when asked, DNS, HTTP", () => {
  const plan = {
    icmp: ["9.9.9.9", "1.1.1.1"],
    gateway: true,
    http: ["http://192.0.2.80/"],
  };
  expect(roundTargets(plan, { gateway: "100.64.0.1" })).toEqual([
    { kind: "icmp", target: "9.9.9.9" },
    { kind: "icmp", target: "1.1.1.1" },
    { kind: "icmp", target: "100.64.0.1" },
    { kind: "dns", target: "9.9.9.9" },
    { kind: "dns", target: "1.1.1.1" },
    { kind: "http", target: "http://192.0.2.80/" },
  ]);
  expect(
    roundTargets({ ...plan, gateway: false }, { gateway: "100.64.0.1" }).map((t) => t.target),
  ).not.toContain("100.64.0.1");
  expect(roundTargets(plan, { gateway: null })).toHaveLength(5);
  expect(roundTargets(plan, { gateway: "9.9.9.9" })).toHaveLength(5);
  expect(roundTargets({ icmp: ["8.8.8.8"], dns: [] }, { gateway: null })).toEqual([
    { kind: "icmp", target: "8.8.8.8" },
  ]);
});
