// Typed helpers for "this fails with that code (and says this)": vitest's asymmetric matchers
// are `any`, which the typed lint rules reject inside object literals.
import { expect } from 'vitest';
import type { CryptoErrorCode } from '../../src/index.ts';

/** `code` is a CryptoErrorCode, or a Node errno code such as 'EEXIST'. */
export async function expectRejection(
  work: Promise<unknown>,
  code: CryptoErrorCode | `E${string}`,
  message?: string | RegExp,
): Promise<void> {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, `expected a rejection with ${code}`).toBeInstanceOf(Error);
  expect(error).toMatchObject({ code });
  if (message !== undefined) expect((error as Error).message).toMatch(message);
}
