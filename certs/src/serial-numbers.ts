// Serials travel as hex strings between openssl ("0A:1B..."), Node ("0A1B...") and our own
// records. One canonical form (lower case, no separators, no leading zeros) keeps comparisons
// honest whichever tool printed the value. Whole bytes are kept (`04d2…`, not `4d2…`) so the
// value reads the same as in `openssl x509 -serial` and Node's X509Certificate.serialNumber.
import { CertsError, quote } from './certs-error.ts';

/** Lower case, no separators, no leading zero bytes, an even number of digits. */
export function normalizeSerial(serial: string): string {
  const hex = serial.trim().toLowerCase().replace(/[:\s]/g, '');
  if (!/^[0-9a-f]{1,64}$/.test(hex)) {
    throw new CertsError('INVALID_REQUEST', `Serial ${quote(serial)} is not a hexadecimal number.`);
  }
  const stripped = hex.replace(/^0+/, '');
  return stripped.length % 2 === 0 ? stripped || '00' : '0' + stripped;
}

/** Unsigned big-endian bytes of a serial, with a 0x00 prefix when the top bit would read as a sign. */
export function serialToDerIntegerBytes(serial: string): Buffer {
  const hex = normalizeSerial(serial);
  const bytes = Buffer.from(hex, 'hex');
  return (bytes[0] ?? 0) >= 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
}
