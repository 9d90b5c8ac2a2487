// Signed reports (records of processing, residency report): fetched as text so the file the DPO
// downloads is byte for byte the reply that was signed and is shown (parsing with the contract's
// schema would drop any field it does not know, and the signature covers every field), and
// parsed with the route's response schema for the screen.
import { routes, type RecordsOfProcessing, type ResidencyReport } from '@enclave/contracts';
import { ApiError } from './api-error.ts';
import { buildUrl, errorFromResponse } from './client.ts';

export interface SignedReports {
  readonly recordsOfProcessing: RecordsOfProcessing;
  readonly residencyReport: ResidencyReport;
}

export interface SignedReport<T> {
  readonly report: T;
  /** The reply's body as received: what the download saves. */
  readonly raw: string;
}

export async function loadSignedReport<K extends keyof SignedReports>(
  name: K,
): Promise<SignedReport<SignedReports[K]>> {
  const spec = routes[name];
  let res: Response;
  try {
    res = await fetch(buildUrl(spec), {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    });
  } catch {
    throw new ApiError(
      0,
      'NETWORK',
      'The appliance could not be reached. Check the connection and try again.',
    );
  }
  if (!res.ok) throw await errorFromResponse(res);
  const raw = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ApiError(res.status, 'INTERNAL', 'The report is not JSON.');
  }
  const parsed = spec.response.safeParse(json);
  if (!parsed.success) throw new ApiError(res.status, 'INTERNAL', 'The report does not match the contract.');
  return { report: parsed.data as SignedReports[K], raw };
}
