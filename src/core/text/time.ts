// Times as mwan shows them: ISO 8601 to the second, with the box's offset
// (Z on a box that runs on UTC), so a status line compares with the log, with
// other machines and across days without guessing the date or the zone.

export function isoTime(t: number, offsetMin = -new Date(t).getTimezoneOffset()): string {
  const local = new Date(t + offsetMin * 60_000).toISOString().slice(0, 19);
  if (offsetMin === 0) return `${local}Z`;
  const abs = Math.abs(offsetMin);
  const hh = String(Math.floor(abs / 60)).padStart(2, "0");
  const mm = String(abs % 60).padStart(2, "0");
  return `${local}${offsetMin < 0 ? "-" : "+"}${hh}:${mm}`;
}

// A span for a person: 45s, 3m 12s, 2h 5m, 1d 4h.
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}
