// The shell: skip link, header with role-aware navigation, language switch (English / Arabic,
// right-to-left) and sign-out, and the page for the current path. Pages a role may not use are
// not linked and not rendered. Marks `enclave-app-ready` once the first screen is interactive.
import { Role } from '@enclave/contracts';
import { useEffect, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { FleetPage } from '../pages/fleet.page.tsx';
import { JobPage } from '../pages/job.page.tsx';
import { JobsPage } from '../pages/jobs.page.tsx';
import { LoginPage } from '../pages/login.page.tsx';
import { MyPrivacyPage } from '../pages/my-privacy.page.tsx';
import { PrivacyPage } from '../pages/privacy.page.tsx';
import { PrivacyBreachesPage } from '../pages/privacy-breaches.page.tsx';
import { PrivacyReportsPage } from '../pages/privacy-reports.page.tsx';
import { PrivacyRequestPage } from '../pages/privacy-request.page.tsx';
import { ProjectPage } from '../pages/project.page.tsx';
import { ProjectsPage } from '../pages/projects.page.tsx';
import { Link, match, navigate, usePath } from './router.tsx';
import { useSession } from './session.tsx';
import { Loading } from '../components/common.tsx';
import { ConsentBanner } from '../components/consent-banner.tsx';

interface NavItem {
  readonly to: string;
  readonly label: MessageKey;
  readonly roles: readonly Role[];
}

const NAV: readonly NavItem[] = [
  { to: '/projects', label: 'navProjects', roles: [Role.ItAdmin, Role.Producer, Role.Dpo, Role.ClientUser] },
  { to: '/jobs', label: 'navJobs', roles: [Role.ItAdmin, Role.Producer, Role.Dpo, Role.ClientUser] },
  { to: '/fleet', label: 'navFleet', roles: [Role.ItAdmin] },
  { to: '/privacy', label: 'navPrivacy', roles: [Role.Dpo, Role.ItAdmin] },
  { to: '/me/privacy', label: 'navMyPrivacy', roles: [Role.ClientUser] },
];

const HOME: Readonly<Record<Role, string>> = {
  'it-admin': '/fleet',
  producer: '/projects',
  dpo: '/privacy',
  'client-user': '/projects',
};

export const APP_READY_MARK = 'enclave-app-ready';

function markReady(): void {
  if (document.documentElement.dataset['ready'] === 'true') return;
  performance.mark(APP_READY_MARK);
  document.documentElement.dataset['ready'] = 'true';
}

export function App() {
  const { t, lang, setLang } = useI18n();
  const { user, checking, signOut } = useSession();
  const path = usePath();

  useEffect(() => {
    if (!checking) markReady();
  }, [checking]);

  useEffect(() => {
    if (user !== null && (path === '/' || path === '/login')) navigate(HOME[user.role]);
  }, [user, path]);

  const langSwitch = (
    <button
      type="button"
      className="secondary"
      lang={lang === 'ar' ? 'en' : 'ar'}
      onClick={() => setLang(lang === 'ar' ? 'en' : 'ar')}
      aria-label={`${t('language')}: ${t('switchLanguage')}`}
    >
      {t('switchLanguage')}
    </button>
  );

  if (checking) return <Loading />;
  if (user === null) {
    return (
      <>
        <a className="skip-link" href="#main">
          {t('skipToContent')}
        </a>
        <header className="topbar">
          <span className="brand">{t('appName')}</span>
          <span className="push-end">{langSwitch}</span>
        </header>
        <LoginPage />
      </>
    );
  }

  const nav = NAV.filter((item) => item.roles.includes(user.role));
  const roleKey = `role_${user.role.replace('-', '_')}` as MessageKey;
  return (
    <>
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <header className="topbar">
        <span className="brand">{t('appName')}</span>
        <nav aria-label={t('mainNavigation')}>
          <ul>
            {nav.map((item) => (
              <li key={item.to}>
                <span aria-current={path.startsWith(item.to) ? 'page' : undefined} className="nav-item">
                  <Link to={item.to}>{t(item.label)}</Link>
                </span>
              </li>
            ))}
          </ul>
        </nav>
        <span className="push-end user" data-testid="user">
          {user.displayName || user.email} · <span title={t('roleLabel')}>{t(roleKey)}</span>
        </span>
        {langSwitch}
        <button type="button" className="secondary" onClick={() => void signOut().then(() => navigate('/'))}>
          {t('signOut')}
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <ConsentBanner />
        <Page path={path} role={user.role} />
      </main>
    </>
  );
}

function Page({ path, role }: { path: string; role: Role }): ReactNode {
  const { t } = useI18n();
  const allowed = (to: string) => NAV.find((n) => n.to === to)?.roles.includes(role) ?? false;
  let params: Record<string, string> | null;
  if (path === '/' || path === '/login') return <Loading />;
  if (match('/projects', path)) return <ProjectsPage />;
  if ((params = match('/projects/:projectId', path)))
    return <ProjectPage key={params['projectId']} projectId={params['projectId'] ?? ''} />;
  if (match('/jobs', path)) return <JobsPage />;
  if ((params = match('/jobs/:jobId', path)))
    return <JobPage key={params['jobId']} jobId={params['jobId'] ?? ''} />;
  if (match('/fleet', path) && allowed('/fleet')) return <FleetPage />;
  if (match('/privacy', path) && allowed('/privacy')) return <PrivacyPage />;
  if (match('/privacy/reports', path) && allowed('/privacy')) return <PrivacyReportsPage />;
  if (match('/privacy/breaches', path) && allowed('/privacy')) return <PrivacyBreachesPage />;
  if ((params = match('/privacy/requests/:requestId', path)) && role === Role.Dpo)
    return <PrivacyRequestPage key={params['requestId']} requestId={params['requestId'] ?? ''} />;
  if (match('/me/privacy', path) && allowed('/me/privacy')) return <MyPrivacyPage />;
  return <p>{t('notFound')}</p>;
}
