// "No public training" (privacy policy §4B) as a rule, not only a promise: client data has one
// allowed use, production. A job that declares any other purpose is refused before anything is
// compiled or stored.
import { ALLOWED_DATA_USES, TRAINING_REFUSED_MESSAGE, type DataUse } from '@enclave/contracts';
import { forbidden } from '../common/errors.ts';

/** Throws 403 FORBIDDEN unless the declared purpose (default production) is an allowed use. */
export function assertAllowedPurpose(purpose: DataUse | undefined): void {
  const declared = purpose ?? 'production';
  if (!(ALLOWED_DATA_USES as readonly string[]).includes(declared)) throw forbidden(TRAINING_REFUSED_MESSAGE);
}
