// "Did you mean": the candidates nearest to a mistyped word, counting a
// swapped pair of letters as one slip (stauts → status), as git does.

// Optimal string alignment distance: insertions, deletions, substitutions
// and adjacent transpositions each cost 1.
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const up = d[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

// The candidates at the smallest distance, if that is small enough to be a
// slip rather than another word: a third of the word, at least one and at
// most three edits. A word that begins a candidate ("stat") counts as near.
export function nearest(word: string, candidates: readonly string[]): string[] {
  const w = word.toLowerCase();
  const limit = Math.min(3, Math.max(1, Math.floor(w.length / 3)));
  let best = Number.POSITIVE_INFINITY;
  let found: string[] = [];
  for (const c of new Set(candidates)) {
    const lc = c.toLowerCase();
    const dist = w.length >= 3 && lc.startsWith(w) ? 1 : editDistance(w, lc);
    if (dist > limit || dist > best) continue;
    if (dist < best) {
      best = dist;
      found = [];
    }
    found.push(c);
  }
  return found;
}

// " (did you mean status?)", or nothing when no candidate is near, or too
// many are to point at one.
export function didYouMean(word: string, candidates: readonly string[]): string {
  const near = nearest(word, candidates);
  if (near.length === 0 || near.length > 3) return "";
  const last = near.at(-1) as string;
  const list = near.length === 1 ? last : `${near.slice(0, -1).join(", ")} or ${last}`;
  return ` (did you mean ${list}?)`;
}
