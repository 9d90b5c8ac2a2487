// The breach register page: every recorded personal-data breach with its notification clock,
// status changes and affected-subject counts, and the form to record one (DPO and IT admin: the
// contract gives both the breach routes).
import { roleMayCall } from '../app/can-call.ts';
import { useSession } from '../app/session.tsx';
import { Area, NotAvailable } from '../components/privacy/area.tsx';
import { BreachRegister } from '../components/privacy/breach-register.tsx';
import { PrivacyTabs } from '../components/privacy/privacy-tabs.tsx';
import { useI18n } from '../i18n/i18n.tsx';

export function PrivacyBreachesPage() {
  const { t } = useI18n();
  const role = useSession().user?.role;
  return (
    <>
      <h1>{t('privacy')}</h1>
      <PrivacyTabs />
      <Area id="breaches" title="breachRegister">
        {roleMayCall(role, 'listBreaches') ? (
          <BreachRegister canRecord={roleMayCall(role, 'createBreach')} />
        ) : (
          <NotAvailable />
        )}
      </Area>
    </>
  );
}
