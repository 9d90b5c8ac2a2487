// Reads a secret from the terminal without echoing it. Only used when stdin is a TTY; scripts
// use --passphrase-file or the environment instead.
import type { ReadStream } from 'node:tty';

export function promptHidden(
  prompt: string,
  input: ReadStream,
  output: NodeJS.WritableStream,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let secret = '';
    // Raw mode first: anything typed after the prompt appears must already be unechoed.
    input.setRawMode(true);
    output.write(prompt);
    input.resume();
    input.setEncoding('utf8');
    const finish = (error?: Error) => {
      input.setRawMode(false);
      input.pause();
      input.removeListener('data', onData);
      output.write('\n');
      if (error) reject(error);
      else resolve(secret);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003') return finish(new Error('Cancelled.'));
        if (char === '\u007f' || char === '\b') secret = secret.slice(0, -1);
        else if (char >= ' ') secret += char;
      }
    };
    input.on('data', onData);
  });
}
