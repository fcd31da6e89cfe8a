// Tests that need what a developer's machine may lack (root, util-linux
// tools) are skipped there with a word why; with MWAN_REQUIRE_NETNS=1, which
// CI sets, a missing capability fails the suite instead, as test/net/netns.ts
// does for network namespaces, so CI can never pass by skipping them.

// For describe.skipIf: `why` is undefined when the tests can run here.
export function skipWithout(what: string, why: string | undefined): boolean {
  if (why === undefined) return false;
  if (process.env.MWAN_REQUIRE_NETNS === "1")
    throw new Error(`${what} tests required (MWAN_REQUIRE_NETNS=1) but ${why}`);
  console.warn(`skipping ${what} tests: ${why}`);
  return true;
}
