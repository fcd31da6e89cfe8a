// Text read from files on its way to a terminal or a log: control characters
// are shown as escapes, so a file cannot move the cursor, retitle the window,
// clear the screen or reorder a line (bidi overrides) on the admin's console.

// C0 and C1 controls, DEL, line and paragraph separators, bidi controls.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function printable(text: string): string {
  return text.replace(CONTROL, escape);
}

// For whole lines of output: keeps line breaks and the colour sequences
// (SGR, "ESC [ … m") mwan itself paints with, so what reaches the terminal
// can at most change colour. Values from files are passed through
// printable() before they are put in a line.
const CONTROL_OR_SGR =
  /\u001b\[[0-9;]*m|[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function printableKeepingColour(text: string): string {
  return text.replace(CONTROL_OR_SGR, (m) => (m.length > 1 ? m : escape(m)));
}

function escape(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u{${code.toString(16)}}`;
}
