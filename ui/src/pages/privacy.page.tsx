// The data-protection officer's area (IT admins see the audit log): the data-subject request
// queue with deadlines and overdue badges and a form to file a request for a user, the audit log
// (the export as a table, "Verify chain"), and retention (the dry-run report, legal holds per
// project). Each part is shown only when the contract gives the caller's role its routes.
// Consent statistics and the signed reports, and the breach register, are the area's other two
// pages (PrivacyTabs).
import { useSession } from '../app/session.tsx';
import { roleMayCall } from '../app/can-call.ts';
import { Area, NotAvailable } from '../components/privacy/area.tsx';
import { AuditPanel } from '../components/privacy/audit-panel.tsx';
import { PrivacyTabs } from '../components/privacy/privacy-tabs.tsx';
import { RequestQueue } from '../components/privacy/request-queue.tsx';
import { RetentionPanel } from '../components/privacy/retention-panel.tsx';
import { useI18n } from '../i18n/i18n.tsx';

export function PrivacyPage() {
  const { t } = useI18n();
  const role = useSession().user?.role;
  return (
    <>
      <h1>{t('privacy')}</h1>
      <PrivacyTabs />
      <Area id="dpoQueue" title="dpoQueue">
        {roleMayCall(role, 'listPrivacyRequests') ? <RequestQueue /> : <NotAvailable />}
      </Area>
      <Area id="auditLog" title="auditLog">
        {roleMayCall(role, 'verifyAudit') ? <AuditPanel /> : <NotAvailable />}
      </Area>
      <Area id="retention" title="retention">
        {roleMayCall(role, 'retentionReport') ? <RetentionPanel /> : <NotAvailable />}
      </Area>
    </>
  );
}
