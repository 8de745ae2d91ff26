/** Entry point of the `openum` command line; returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  console.log(`openum: ${argv.join(' ')}`);
  return 0;
}
