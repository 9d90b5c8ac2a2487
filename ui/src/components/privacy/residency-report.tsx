// The residency report (GET /api/v1/privacy/residency-report, signed): the statement, totals,
// and per node its egress counters from its latest heartbeat (bytes let through the allow-list,
// connections blocked and the last block), with the signed JSON to download.
import type { ResidencyReport } from '@enclave/contracts';
import { useI18n } from '../../i18n/i18n.tsx';
import { bytes, StateBadge } from '../common.tsx';
import { SignedReportPanel } from './signed-report.tsx';

export function ResidencyReportPanel() {
  return (
    <SignedReportPanel route="residencyReport" generateLabel="generateResidency" testId="residency-report">
      {(report) => <ResidencyView report={report} />}
    </SignedReportPanel>
  );
}

function ResidencyView({ report }: { report: ResidencyReport }) {
  const { t, formatDate, formatNumber } = useI18n();
  const { totals } = report;
  return (
    <>
      <p>{report.statement}</p>
      <dl className="facts" data-testid="residency-totals">
        <dt>{t('nodesReporting')}</dt>
        <dd>
          {formatNumber(totals.reporting)} / {formatNumber(totals.nodes)}
        </dd>
        <dt>{t('egressAllowed')}</dt>
        <dd>
          <bdi>{bytes(totals.allowedBytes)}</bdi>
        </dd>
        <dt>{t('egressBlocked')}</dt>
        <dd data-blocked={totals.blockedConnections}>{formatNumber(totals.blockedConnections)}</dd>
        <dt>{t('lastBlocked')}</dt>
        <dd>{formatDate(totals.lastBlockedAt)}</dd>
      </dl>
      {report.nodes.length === 0 ? (
        <p className="muted">{t('noNodes')}</p>
      ) : (
        <table>
          <caption className="muted">{t('residencyNodesCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('node')}</th>
              <th scope="col">{t('state')}</th>
              <th scope="col">{t('lastHeartbeat')}</th>
              <th scope="col">{t('countingSince')}</th>
              <th scope="col">{t('egressAllowed')}</th>
              <th scope="col">{t('egressBlocked')}</th>
              <th scope="col">{t('lastBlocked')}</th>
            </tr>
          </thead>
          <tbody>
            {report.nodes.map((node) => (
              <tr key={node.nodeId} data-node={node.nodeId}>
                <th scope="row">
                  <bdi>{node.nodeId}</bdi>
                </th>
                <td>
                  <StateBadge state={node.live ? 'online' : 'offline'} />
                </td>
                <td>{formatDate(node.lastHeartbeatAt)}</td>
                {node.egress === null ? (
                  <td colSpan={4} className="muted">
                    {t('noEgressYet')}
                  </td>
                ) : (
                  <>
                    <td>{formatDate(node.egress.since)}</td>
                    <td>
                      <bdi>{bytes(node.egress.allowedBytes)}</bdi>
                    </td>
                    <td>{formatNumber(node.egress.blockedConnections)}</td>
                    <td>{formatDate(node.egress.lastBlockedAt)}</td>
                  </>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
