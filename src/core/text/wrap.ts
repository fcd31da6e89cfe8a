// Word wrapping for help on an 80-column console.

// Lines of at most `width` characters, broken at spaces; a word longer than
// the width stands alone on its line rather than being cut.
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line === "") line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== "" || lines.length === 0) lines.push(line);
  return lines;
}

// Characters that need no quoting in a POSIX shell word.
const PLAIN = /^[A-Za-z0-9_.,:/@%+=-]+$/;

// A word as it would be typed in a shell, quoted only when it has to be.
export function shellWord(word: string): string {
  return PLAIN.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
