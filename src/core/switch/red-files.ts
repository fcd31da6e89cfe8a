// RED's files as a switch reads and writes them. Types only, imported by
// the plan, the journal and capture alike, so none of those imports another
// for them.

// The three files as text; undefined when the file does not exist.
export interface RedTexts {
  ethernet: string | undefined;
  ppp: string | undefined;
  secrets: string | undefined;
}

// RED's files with the dial profile ppp/settings is a hard link to, if any.
export interface RedSnapshot extends RedTexts {
  pppLink?: string;
}
