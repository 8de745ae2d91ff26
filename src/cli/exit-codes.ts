/** Exit codes every openum command uses. */
export const ExitCode = {
  /** Done; for validate: no errors (warnings allowed). */
  Ok: 0,
  /** The check ran and found problems (config errors, denied or mismatched dial cases). */
  Failed: 1,
  /** Wrong usage, or a file that cannot be read at all. */
  Usage: 2,
} as const;

/** One of ExitCode's values. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
