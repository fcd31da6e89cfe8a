import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { ConfigError } from "../../src/core/errors.ts";
import {
  encodeValue,
  parseSettings,
  serializeSettings,
  shellDroppedChars,
  toRecord,
  withValues,
} from "../../src/core/settings/codec.ts";

const SRC = "settings";

// IPFire's Perl readhash, restated: split at the first "=", strip one quote
// from each end. The codec must write what this reads back intact.
function perlReadhash(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    if (line.startsWith("#") || !line.includes("=")) continue;
    const at = line.indexOf("=");
    out[line.slice(0, at).trim()] = line
      .slice(at + 1)
      .replace(/^'/, "")
      .replace(/'$/, "");
  }
  return out;
}

// IPFire's shell readhash filter, restated as the two sed patterns it runs.
function shellReadhash(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const plain = line.match(/^([A-Za-z_][A-Za-z0-9_]*)=([A-Za-z0-9=/,.:%_@#+-]*)$/);
    const quoted = line.match(/^([A-Za-z_][A-Za-z0-9_]*)='([ A-Za-z0-9=/,.:%_@#+-]*)'$/);
    const m = plain ?? quoted;
    if (m) out[m[1] as string] = m[2] as string;
  }
  return out;
}

const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,20}$/);
// Any code point (fast-check's default unit is printable ASCII only): tabs,
// control characters, quotes, UTF-8 beyond ASCII; a line break or NUL is
// what the codec refuses, tested on its own below.
const anyText = fc.string({ unit: "binary", maxLength: 40 });
const value = anyText.filter((v) => !/[\n\r\0]/.test(v));
const shellValue = fc.stringMatching(/^[ A-Za-z0-9=/,.:%_@#+-]{0,30}$/);

describe("parseSettings", () => {
  test("reads plain, quoted, empty values and keeps comments", () => {
    const doc = parseSettings("# c\nA=1\nB='x y'\nC=\n\nD='q\n", SRC);
    expect(toRecord(doc)).toEqual({ A: "1", B: "x y", C: "", D: "q" });
    expect(doc.lines.filter((l) => l.kind === "other")).toHaveLength(2);
  });

  test("keeps everything after the first = as the value", () => {
    expect(toRecord(parseSettings("URL=a=b=c\n", SRC))).toEqual({
      URL: "a=b=c",
    });
  });

  test.each([
    ["garbage\n", "settings:1: not a KEY=VALUE line"],
    ["A=1\n1X=2\n", "settings:2: not a KEY=VALUE line"],
    [" A=1\n", "settings:1: not a KEY=VALUE line"],
    ["A=1\nA=2\n", "settings:2: A: duplicate key (first set on line 1)"],
    ["A=x\0y\n", "settings:1: A: value contains a NUL byte"],
  ])("refuses %j", (text, message) => {
    expect(() => parseSettings(text, SRC)).toThrow(new ConfigError(message));
  });

  test("an empty file and a file without final newline round-trip", () => {
    for (const text of ["", "\n", "A=1", "A=1\n\n# x"]) {
      expect(serializeSettings(parseSettings(text, SRC))).toBe(text);
    }
  });
});

// IPFire's own files may hold what its readers tolerate (contract §0a.5):
// pppsetup.cgi writes the IPTVSERVERS textarea raw, CRLF and all.
describe("parseSettings for IPFire's files", () => {
  const gui = "TYPE=pppoe\nIPTVSERVERS=192.168.2.51/32\r\n10.0.0.0/8\r\n239.1.0.0/16\nUSERNAME=u@isp\n";

  test("a line that is not KEY=VALUE is kept as it is, never refused", () => {
    expect(() => parseSettings(gui, SRC)).toThrow(new ConfigError(`${SRC}:3: not a KEY=VALUE line`));
    const doc = parseSettings(gui, SRC, { ipfire: true });
    expect(toRecord(doc)).toEqual({ TYPE: "pppoe", IPTVSERVERS: "192.168.2.51/32\r", USERNAME: "u@isp" });
    expect(serializeSettings(doc)).toBe(gui);
  });

  test("changing another key keeps those lines byte for byte, in place", () => {
    const doc = withValues(parseSettings(gui, SRC, { ipfire: true }), { USERNAME: "v@isp" }, { source: SRC });
    expect(serializeSettings(doc)).toBe(gui.replace("USERNAME=u@isp", "USERNAME=v@isp"));
  });

  test("of a key set twice the last counts, and setting it sets both", () => {
    const doc = parseSettings("A=1\nB=2\nA=3\n", SRC, { ipfire: true });
    expect(toRecord(doc).A).toBe("3");
    expect(serializeSettings(withValues(doc, { A: "9" }, { source: SRC }))).toBe("A=9\nB=2\nA=9\n");
  });
});

// A command that answers in spite of a hand edit gone wrong (store.ts).
describe("parseSettings collecting problems in mwan's own file", () => {
  test("every line that would be refused is named, in order, and kept as it is", () => {
    const text = "A=1\ngarbage\nA=2\nB=x\0y\nA=3\n";
    const problems: { message: string; key?: string }[] = [];
    const doc = parseSettings(text, SRC, { problems });
    expect(problems).toEqual([
      { message: "settings:2: not a KEY=VALUE line" },
      { message: "settings:3: A: duplicate key (first set on line 1)", key: "A" },
      { message: "settings:4: B: value contains a NUL byte", key: "B" },
      { message: "settings:5: A: duplicate key (first set on line 1)", key: "A" },
    ]);
    expect(serializeSettings(doc)).toBe(text);
  });

  test("setting a key set twice leaves it on its first line only, the rest untouched", () => {
    const doc = parseSettings("# x\nA=1\ngarbage\nA=2\nB=2\n", SRC, { problems: [] });
    const set = withValues(doc, { A: "9" }, { source: SRC, dropRepeats: true });
    expect(serializeSettings(set)).toBe("# x\nA=9\ngarbage\nB=2\n");
    const unset = withValues(doc, { A: undefined }, { source: SRC, dropRepeats: true });
    expect(serializeSettings(unset)).toBe("# x\ngarbage\nB=2\n");
  });
});

describe("withValues", () => {
  test("changes keys in place, appends new ones, removes undefined", () => {
    const doc = parseSettings("# head\nA=1\nB=2\nC=3\n", SRC);
    const out = withValues(doc, { B: "two words", C: undefined, D: "4" }, { source: SRC });
    expect(serializeSettings(out)).toBe("# head\nA=1\nB='two words'\nD=4\n");
  });

  test("an unchanged value keeps its original spelling", () => {
    const doc = parseSettings("A='1'\n", SRC);
    expect(serializeSettings(withValues(doc, { A: "1" }, { source: SRC }))).toBe("A='1'\n");
  });

  test("refuses line breaks and bad key names", () => {
    const doc = parseSettings("", SRC);
    expect(() => withValues(doc, { A: "x\ny" }, { source: SRC })).toThrow(
      "settings: A: value contains a line break or NUL byte",
    );
    for (const v of ["x\ry", "x\0y", "\r\n"])
      expect(() => withValues(doc, { A: v }, { source: SRC })).toThrow(
        "settings: A: value contains a line break or NUL byte",
      );
    expect(() => withValues(doc, { "A-B": "x" }, { source: SRC })).toThrow(
      'settings: "A-B": not a valid key name',
    );
  });

  test("for files IPFire's shell reads, refuses values it would drop, naming the characters", () => {
    const doc = parseSettings("", SRC);
    expect(() => withValues(doc, { USERNAME: "a$b!" }, { source: "ppp/settings", shellRead: true })).toThrow(
      `ppp/settings: USERNAME: IPFire's shell reader would drop this value because of "$" "!"`,
    );
    expect(serializeSettings(withValues(doc, { P: "a b" }, { source: SRC, shellRead: true }))).toBe(
      "P='a b'\n",
    );
  });
});

test("a secret's refusal names none of its characters", () => {
  const doc = parseSettings("", SRC);
  expect(() => withValues(doc, { PASSWORD: "a$b!" }, { source: "ppp/settings", shellRead: true })).toThrow(
    new ConfigError(
      "ppp/settings: PASSWORD: IPFire's shell reader would drop this value because of characters it does not accept (allowed: letters, digits, space and = / , . : % _ @ # + -)",
    ),
  );
});

describe("shellDroppedChars", () => {
  test("matches IPFire's readhash character set", () => {
    expect(shellDroppedChars("abc-._=/,:%@#+")).toEqual([]);
    expect(shellDroppedChars("with space")).toEqual([]);
    expect(shellDroppedChars("a'b")).toEqual(["'"]);
    expect(shellDroppedChars('$&*!;"`\\')).toEqual([...'$&*!;"`\\']);
  });
});

describe("properties", () => {
  test("any value with a line break or NUL is refused", () => {
    const broken = fc
      .tuple(anyText, fc.constantFrom("\n", "\r", "\0"), anyText)
      .map(([a, c, b]) => `${a}${c}${b}`);
    fc.assert(
      fc.property(key, broken, (k, v) => {
        expect(() => withValues(parseSettings("", SRC), { [k]: v }, { source: SRC })).toThrow(ConfigError);
      }),
    );
  });

  test("parse(serialize(doc)) gives the same keys and values for any value", () => {
    fc.assert(
      fc.property(fc.dictionary(key, value), (record) => {
        const text = serializeSettings(withValues(parseSettings("", SRC), record, { source: SRC }));
        expect(toRecord(parseSettings(text, SRC))).toEqual(record);
      }),
    );
  });

  test("what the codec writes, IPFire's Perl readhash reads back intact", () => {
    fc.assert(
      fc.property(fc.dictionary(key, value), (record) => {
        const text = serializeSettings(withValues(parseSettings("", SRC), record, { source: SRC }));
        expect(perlReadhash(text)).toEqual(record);
      }),
    );
  });

  test("shell-safe values survive IPFire's shell readhash; others are refused", () => {
    fc.assert(
      fc.property(fc.dictionary(key, fc.oneof(shellValue, value)), (record) => {
        const doc = parseSettings("", SRC);
        const safe = Object.values(record).every((v) => shellDroppedChars(v).length === 0);
        if (!safe) {
          expect(() => withValues(doc, record, { source: SRC, shellRead: true })).toThrow(ConfigError);
          return;
        }
        const text = serializeSettings(withValues(doc, record, { source: SRC, shellRead: true }));
        expect(shellReadhash(text)).toEqual(record);
      }),
    );
  });

  test("serialize(parse(text)) is byte-identical for any well-formed file", () => {
    const line = fc.oneof(
      fc.tuple(key, value).map(([k, v]) => `${k}=${encodeValue(v)}`),
      fc.constantFrom("", "# comment", "#x=y"),
    );
    fc.assert(
      fc.property(
        fc.uniqueArray(line, {
          selector: (l) => (l.includes("=") && !l.startsWith("#") ? l.split("=")[0] : l),
        }),
        fc.boolean(),
        (lines, nl) => {
          const text = lines.join("\n") + (nl && lines.length > 0 ? "\n" : "");
          expect(serializeSettings(parseSettings(text, SRC))).toBe(text);
        },
      ),
    );
  });

  test("setting keys never changes the lines of other keys", () => {
    fc.assert(
      fc.property(fc.dictionary(key, value), fc.dictionary(key, value), (before, changes) => {
        const doc = withValues(parseSettings("", SRC), before, {
          source: SRC,
        });
        const after = withValues(doc, changes, { source: SRC });
        const untouched = (d: typeof doc) =>
          d.lines.filter((l) => l.kind === "entry" && !(l.key in changes)).map((l) => l.raw);
        expect(untouched(after)).toEqual(untouched(doc));
      }),
    );
  });
});
