// A node's certificate expiry in the fleet table: the date and the time left, and a badge in
// words (not colour alone) once renewal is overdue (CERT_SOON_MS) or the certificate expired.
import { useI18n } from '../i18n/i18n.tsx';
import { certificateExpiry, remainingText } from './fleet-figures.ts';

export function CertificateCell({ notAfter, nowMs }: { notAfter: string | null; nowMs: number }) {
  const { t, formatDate, formatNumber } = useI18n();
  const expiry = certificateExpiry(notAfter, nowMs);
  if (notAfter === null || expiry.urgency === 'none') return <span className="muted">{t('certNone')}</span>;
  let left = '';
  if (expiry.hoursLeft !== null) {
    const r = remainingText(expiry.hoursLeft);
    left = t(r.unit === 'h' ? 'certInHours' : 'certInDays', { n: formatNumber(r.n) });
  }
  return (
    <span className={`cert cert-${expiry.urgency}`} data-cert={expiry.urgency}>
      <time dateTime={notAfter}>{formatDate(notAfter)}</time>{' '}
      {expiry.urgency === 'ok' && <span className="muted small">({left})</span>}
      {expiry.urgency === 'soon' && <span className="badge badge-draining">{t('certSoon', { left })}</span>}
      {expiry.urgency === 'expired' && <span className="badge badge-failed">{t('certExpired')}</span>}
    </span>
  );
}
