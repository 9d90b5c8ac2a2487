// The DPO's consent and reports page: consent statistics per notice version, the signed residency
// report (egress per node) and the signed records of processing, each downloadable as the
// signed JSON. A part whose route the role lacks (IT admins: consent, records) says so.
import { roleMayCall } from '../app/can-call.ts';
import { useSession } from '../app/session.tsx';
import { Area, NotAvailable } from '../components/privacy/area.tsx';
import { ConsentStatsPanel } from '../components/privacy/consent-stats.tsx';
import { PrivacyTabs } from '../components/privacy/privacy-tabs.tsx';
import { RecordsOfProcessingPanel } from '../components/privacy/records-of-processing.tsx';
import { ResidencyReportPanel } from '../components/privacy/residency-report.tsx';
import { useI18n } from '../i18n/i18n.tsx';

export function PrivacyReportsPage() {
  const { t } = useI18n();
  const role = useSession().user?.role;
  return (
    <>
      <h1>{t('privacy')}</h1>
      <PrivacyTabs />
      <Area id="consentStats" title="consentStats">
        {roleMayCall(role, 'consentStats') ? <ConsentStatsPanel /> : <NotAvailable />}
      </Area>
      <Area id="residency" title="residencyReport">
        {roleMayCall(role, 'residencyReport') ? <ResidencyReportPanel /> : <NotAvailable />}
      </Area>
      <Area id="recordsOfProcessing" title="recordsOfProcessing">
        {roleMayCall(role, 'recordsOfProcessing') ? <RecordsOfProcessingPanel /> : <NotAvailable />}
      </Area>
    </>
  );
}
