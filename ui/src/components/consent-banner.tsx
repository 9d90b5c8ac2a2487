// The consent banner. When the tenant has published a privacy notice (GET /api/v1/privacy/consent
// says which version is current and whether this user must acknowledge it), the banner shows the
// notice's text and the optional purposes (all off until chosen) and records the choice with
// POST /api/v1/privacy/consent, naming the SHA-256 of the text exactly as shown. With no notice
// published, a client user is told what the appliance stores (one essential session cookie) and
// the choice is kept only as a local preference in this browser. Nothing optional is turned on
// before a choice: the appliance has no analytics, tracking or third-party content at all.
import { OPTIONAL_CONSENT_PURPOSES, type PrivacyNotice } from '@enclave/contracts';
import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import { useSession } from '../app/session.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { ErrorBanner } from './common.tsx';

const LOCAL_KEY = 'enclave.consent';

type Mode = { kind: 'hidden' } | { kind: 'local' } | { kind: 'notice'; notice: PrivacyNotice };
type Optional = (typeof OPTIONAL_CONSENT_PURPOSES)[number];

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function localConsent(): string | null {
  return window.localStorage.getItem(LOCAL_KEY);
}

export function ConsentBanner() {
  const { t } = useI18n();
  const { user } = useSession();
  const [mode, setMode] = useState<Mode>({ kind: 'hidden' });
  const [choices, setChoices] = useState<Record<Optional, boolean>>({
    analytics: false,
    personalisation: false,
    marketing: false,
  });
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (user === null) return;
    let live = true;
    const clientUser = user.role === 'client-user';
    void (async () => {
      const status = await api('consentHistory');
      if (status.currentNoticeVersion === null) {
        if (live && clientUser && localConsent() === null) setMode({ kind: 'local' });
        return;
      }
      if (!status.reacknowledgementRequired) return;
      const notice = await api('currentPrivacyNotice');
      if (live) setMode({ kind: 'notice', notice });
    })().catch((e: unknown) => {
      if (live) setError(e);
    });
    return () => {
      live = false;
    };
  }, [user]);

  if (mode.kind === 'hidden') return <ErrorBanner error={error} />;

  const decide = async (all: boolean) => {
    setError(null);
    try {
      if (mode.kind === 'notice') {
        const chosen = all ? { analytics: true, personalisation: true, marketing: true } : choices;
        await api('recordConsent', {
          body: {
            noticeId: mode.notice.noticeId,
            shownTextSha256: await sha256Hex(mode.notice.text),
            essential: true,
            ...chosen,
          },
        });
      } else {
        window.localStorage.setItem(LOCAL_KEY, all ? 'accepted' : 'essential-only');
      }
      setMode({ kind: 'hidden' });
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section className="consent card" aria-labelledby="consent-title" data-testid="consent-banner">
      <h2 id="consent-title">{t('consentTitle')}</h2>
      {mode.kind === 'notice' ? (
        <>
          <div className="notice-text" data-notice-version={mode.notice.version}>
            {mode.notice.text}
          </div>
          <fieldset className="consent-choices">
            <legend>{t('consentChoices')}</legend>
            <label>
              <input type="checkbox" checked disabled /> {t('purpose_essential')}
            </label>
            {OPTIONAL_CONSENT_PURPOSES.map((p) => (
              <label key={p}>
                <input
                  type="checkbox"
                  name={p}
                  checked={choices[p]}
                  onChange={(e) => setChoices({ ...choices, [p]: e.target.checked })}
                />{' '}
                {t(`purpose_${p}` as MessageKey)}
              </label>
            ))}
          </fieldset>
        </>
      ) : (
        <>
          <p>{t('consentText')}</p>
          <p className="muted">{t('consentLocal')}</p>
        </>
      )}
      <div className="row-actions">
        <button type="button" onClick={() => void decide(mode.kind === 'local')}>
          {mode.kind === 'notice' ? t('consentSave') : t('consentAccept')}
        </button>
        <button type="button" className="secondary" onClick={() => void decide(false)}>
          {t('consentEssential')}
        </button>
      </div>
      <ErrorBanner error={error} />
    </section>
  );
}
