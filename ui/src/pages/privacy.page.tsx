// The data-protection officer's area (IT admins see the audit log): the data-subject request
// queue with deadlines and overdue badges and a form to file a request for a user, the audit log
// (the export as a table, "Verify chain"), and retention (the dry-run report, legal holds per
// project). Each part is shown only when the contract gives the caller's role its routes.
import { useSession } from '../app/session.tsx';
import { roleMayCall } from '../app/can-call.ts';
import { AuditPanel } from '../components/privacy/audit-panel.tsx';
import { RequestQueue } from '../components/privacy/request-queue.tsx';
import { RetentionPanel } from '../components/privacy/retention-panel.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import type { ReactNode } from 'react';

function Area({ id, title, children }: { id: string; title: MessageKey; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <section className="card" aria-labelledby={`area-${id}`} data-area={id}>
      <h2 id={`area-${id}`}>{t(title)}</h2>
      {children}
    </section>
  );
}

export function PrivacyPage() {
  const { t } = useI18n();
  const role = useSession().user?.role;
  const unavailable = <p className="muted not-available">{t('notAvailable')}</p>;
  return (
    <>
      <h1>{t('privacy')}</h1>
      <Area id="dpoQueue" title="dpoQueue">
        {roleMayCall(role, 'listPrivacyRequests') ? <RequestQueue /> : unavailable}
      </Area>
      <Area id="auditLog" title="auditLog">
        {roleMayCall(role, 'verifyAudit') ? <AuditPanel /> : unavailable}
      </Area>
      <Area id="retention" title="retention">
        {roleMayCall(role, 'retentionReport') ? <RetentionPanel /> : unavailable}
      </Area>
    </>
  );
}
