// The frame around a signed report (records of processing, residency report): a button that
// generates it now, then when and with which key it was signed and a download of the signed JSON
// exactly as the server sent it (`enclave report verify FILE` checks it offline), and the
// report's own view below.
import { useEffect, useState, type ReactNode } from 'react';
import { loadSignedReport, type SignedReport, type SignedReports } from '../../api/signed-report.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/messages.ts';
import { ErrorBanner } from '../common.tsx';
import { signedReportFileName } from './dpo-figures.ts';

interface Signed {
  readonly format: string;
  readonly generatedAt: string;
  readonly signature: string;
  readonly publicKeyPem: string;
}

/** A same-origin object URL for the text, revoked when the text changes or the view goes. */
function useObjectUrl(text: string | null): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (text === null) return;
    const made = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    setUrl(made);
    return () => {
      URL.revokeObjectURL(made);
      setUrl(null);
    };
  }, [text]);
  return url;
}

export function SignedReportPanel<K extends keyof SignedReports>({
  route,
  generateLabel,
  testId,
  children,
}: {
  route: K;
  generateLabel: MessageKey;
  testId: string;
  children: (report: SignedReports[K]) => ReactNode;
}) {
  const { t, formatDate } = useI18n();
  const [loaded, setLoaded] = useState<SignedReport<SignedReports[K]> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const url = useObjectUrl(loaded?.raw ?? null);
  const generate = async () => {
    setBusy(true);
    setError(null);
    try {
      setLoaded(await loadSignedReport(route));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const signed: Signed | undefined = loaded?.report;
  return (
    <>
      <div className="row-actions">
        <button type="button" className="secondary" disabled={busy} onClick={() => void generate()}>
          {t(generateLabel)}
        </button>
        {signed && url && (
          <a className="button" href={url} download={signedReportFileName(signed.format, signed.generatedAt)}>
            {t('downloadSigned')}
          </a>
        )}
      </div>
      <ErrorBanner error={error} />
      {loaded && signed && (
        <div data-testid={testId}>
          <dl className="facts">
            <dt>{t('generatedAt')}</dt>
            <dd>{formatDate(signed.generatedAt)}</dd>
            <dt>{t('format')}</dt>
            <dd>
              <code>{signed.format}</code>
            </dd>
            <dt>{t('signature')}</dt>
            <dd>
              <code dir="ltr">{signed.signature.slice(0, 16)}…</code>{' '}
              <span className="muted">(Ed25519; {t('verifyOffline')})</span>
            </dd>
          </dl>
          <details>
            <summary>{t('signingKey')}</summary>
            <pre className="json">{signed.publicKeyPem}</pre>
          </details>
          {children(loaded.report)}
        </div>
      )}
    </>
  );
}
