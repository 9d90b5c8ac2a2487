// Runs a CLI body: one clear line on failure and a non-zero exit, never a stack trace
// (set ENCLAVE_DEBUG=1 to see one).
export function runCli(body: () => Promise<number | void> | number | void): void {
  Promise.resolve()
    .then(body)
    .then(
      (code) => {
        process.exitCode = code ?? 0;
      },
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        console.error(`error: ${message}`);
        if (process.env['ENCLAVE_DEBUG'] && error instanceof Error) console.error(error.stack);
        process.exitCode = 1;
      },
    );
}
