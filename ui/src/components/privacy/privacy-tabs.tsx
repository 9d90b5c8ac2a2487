// The DPO's area is three pages; this names them (a labelled navigation landmark, real links,
// `aria-current` on the page shown): requests, audit and retention; consent and signed reports;
// the breach register.
import { Link, usePath } from '../../app/router.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/messages.ts';

const TABS: readonly { readonly to: string; readonly label: MessageKey }[] = [
  { to: '/privacy', label: 'privacyTabRequests' },
  { to: '/privacy/reports', label: 'privacyTabReports' },
  { to: '/privacy/breaches', label: 'privacyTabBreaches' },
];

export function PrivacyTabs() {
  const { t } = useI18n();
  const path = usePath().replace(/\/+$/, '');
  return (
    <nav aria-label={t('privacySections')} className="sub-nav">
      <ul>
        {TABS.map((tab) => (
          <li key={tab.to}>
            <Link to={tab.to} current={path === tab.to}>
              {t(tab.label)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
