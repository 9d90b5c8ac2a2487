// Consent statistics for the DPO (GET /api/v1/privacy/consent/stats, tenant-scoped, DPO only):
// per notice version, newest first, how many users answered and, per optional purpose, how many
// granted and refused (each user's latest record on that version counted once), and how many
// users must still acknowledge the current notice.
import { OPTIONAL_CONSENT_PURPOSES } from '@enclave/contracts';
import { api } from '../../api/client.ts';
import { useLoad } from '../../app/use-load.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/messages.ts';
import { ErrorBanner, Loading } from '../common.tsx';
import { grantedPercent } from './dpo-figures.ts';

export function ConsentStatsPanel() {
  const { t, formatNumber } = useI18n();
  const stats = useLoad(() => api('consentStats'), []);
  const percent = (count: { granted: number; refused: number }) => {
    const p = grantedPercent(count);
    return p === null ? '—' : formatNumber(p / 100, { style: 'percent' });
  };
  return (
    <>
      <div className="row-actions">
        <button type="button" className="secondary" onClick={stats.reload} disabled={stats.loading}>
          {t('refresh')}
        </button>
      </div>
      <ErrorBanner error={stats.error} onRetry={stats.reload} />
      {stats.data === undefined ? (
        stats.error ? null : (
          <Loading />
        )
      ) : (
        <>
          <p data-testid="consent-awaiting">
            {t('consentAwaiting', { n: formatNumber(stats.data.usersAwaitingAcknowledgement) })}
          </p>
          {stats.data.items.length === 0 ? (
            <p className="muted">{t('consentNoRecords')}</p>
          ) : (
            <table data-testid="consent-stats">
              <caption className="muted">{t('consentStatsCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('noticeVersion')}</th>
                  <th scope="col">{t('consentUsers')}</th>
                  <th scope="col">{t('consentRecords')}</th>
                  {OPTIONAL_CONSENT_PURPOSES.map((purpose) => (
                    <th scope="col" key={purpose}>
                      {t(`purpose_${purpose}` as MessageKey)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {stats.data.items.map((item) => (
                  <tr key={item.noticeId} data-notice-version={item.noticeVersion}>
                    <th scope="row">
                      v{item.noticeVersion}{' '}
                      {item.material && <span className="badge badge-held">{t('materialChange')}</span>}
                    </th>
                    <td>{formatNumber(item.users)}</td>
                    <td>{formatNumber(item.records)}</td>
                    {OPTIONAL_CONSENT_PURPOSES.map((purpose) => (
                      <td key={purpose} data-purpose={purpose}>
                        {t('grantedRefused', {
                          granted: formatNumber(item[purpose].granted),
                          refused: formatNumber(item[purpose].refused),
                        })}{' '}
                        <span className="muted">({percent(item[purpose])})</span>
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </>
  );
}
