// Records of processing activities (PDPL Art. 7; GET /api/v1/privacy/records-of-processing,
// signed, DPO only): generated on demand, summarised here (controller, activities, what is held
// per data category, transfers) and downloaded as the signed JSON for the regulator.
import type { RecordsOfProcessing } from '@enclave/contracts';
import { useI18n } from '../../i18n/i18n.tsx';
import { SignedReportPanel } from './signed-report.tsx';

export function RecordsOfProcessingPanel() {
  return (
    <SignedReportPanel
      route="recordsOfProcessing"
      generateLabel="generateRecords"
      testId="records-of-processing"
    >
      {(records) => <RecordsView records={records} />}
    </SignedReportPanel>
  );
}

function RecordsView({ records }: { records: RecordsOfProcessing }) {
  const { t, formatNumber } = useI18n();
  const list = (items: readonly string[]) => <bdi>{items.join(', ')}</bdi>;
  return (
    <>
      <dl className="facts">
        <dt>{t('controller')}</dt>
        <dd>
          <bdi>{records.controller.tenantName}</bdi> (<bdi>{records.controller.tenantId}</bdi>)
        </dd>
        <dt>{t('transfers')}</dt>
        <dd>{records.transfers.statement}</dd>
      </dl>
      <table>
        <caption className="muted">
          {t('activities')}: {formatNumber(records.activities.length)}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t('activity')}</th>
            <th scope="col">{t('purposes')}</th>
            <th scope="col">{t('dataCategories')}</th>
            <th scope="col">{t('recipients')}</th>
            <th scope="col">{t('retentionPeriod')}</th>
          </tr>
        </thead>
        <tbody>
          {records.activities.map((a) => (
            <tr key={a.name}>
              <th scope="row">{a.name}</th>
              <td>{list(a.purposes)}</td>
              <td>{list(a.dataCategories)}</td>
              <td>{a.recipients.length === 0 ? t('noRecipients') : list(a.recipients)}</td>
              <td>{a.retention}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table>
        <caption className="muted">{t('inventory')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('dataCategory')}</th>
            <th scope="col">{t('itemsHeld')}</th>
            <th scope="col">{t('allowedUses')}</th>
          </tr>
        </thead>
        <tbody>
          {records.inventory.map((row) => (
            <tr key={row.dataCategory}>
              <th scope="row">
                <code>{row.dataCategory}</code>
              </th>
              <td>{formatNumber(row.items)}</td>
              <td>{list(row.allowedUses)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
