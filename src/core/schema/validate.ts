// Turns zod's findings into one-line messages that name the file and the key,
// e.g. "profiles/lte: APN: required for TYPE=QMI".

import type { z } from "zod";

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: string[] };

export function formatIssues(source: string, issues: z.core.$ZodIssue[], context = ""): string[] {
  return issues.map((issue) => {
    if (issue.code === "unrecognized_keys") {
      return `${source}: ${issue.keys.join(", ")}: unknown key${issue.keys.length > 1 ? "s" : ""}${context}`;
    }
    const key = issue.path.length > 0 ? String(issue.path[0]) : undefined;
    const message = issue.message === "required" ? `required${context}` : issue.message;
    return key ? `${source}: ${key}: ${message}` : `${source}: ${message}`;
  });
}

export function validate<S extends z.ZodType>(
  schema: S,
  input: Record<string, string>,
  source: string,
  context = "",
): Validated<z.output<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    errors: formatIssues(source, result.error.issues, context),
  };
}
