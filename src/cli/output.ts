/** Where a command writes: injected so that tests can run commands in-process. */
export interface CommandOutput {
  out(line: string): void;
  err(line: string): void;
}

/** The process's stdout and stderr. */
export const processOutput: CommandOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};
