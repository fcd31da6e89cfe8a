// Exit codes are part of mwan's interface: scripts and the init script branch on them.
export const EXIT = {
  ok: 0,
  failure: 1, // the job could not be done (I/O, a system command failed)
  usage: 2, // the command line is wrong
  config: 3, // a settings or profile file (or a value for one) is invalid
  aborted: 130, // Ctrl-C or Ctrl-D at a prompt (128 + SIGINT, as a shell reports it)
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

// An error meant for the user: its message is one line naming the file, key or
// argument at fault, and it carries the exit code that classifies it. Given
// several problems, each is one line of its own on the console (`problems`);
// the message joins them for the log and JSON.
export class MwanError extends Error {
  readonly problems: string[];
  constructor(
    message: string | string[],
    readonly exitCode: ExitCode = EXIT.failure,
  ) {
    super(typeof message === "string" ? message : message.join("; "));
    this.problems = typeof message === "string" ? [message] : message;
    this.name = "MwanError";
  }
}

export class UsageError extends MwanError {
  constructor(message: string) {
    super(message, EXIT.usage);
    this.name = "UsageError";
  }
}

export class ConfigError extends MwanError {
  constructor(message: string | string[]) {
    super(message, EXIT.config);
    this.name = "ConfigError";
  }
}

// The operator ended a prompt: nothing was written, and that is all there is to say.
export class AbortedError extends MwanError {
  constructor() {
    super("aborted, nothing written", EXIT.aborted);
    this.name = "AbortedError";
  }
}
