// Sign-in: email and password checked with the contract's LoginRequestSchema first, then
// POST /api/v1/auth/login, which sets the HttpOnly session cookie.
import { LoginRequestSchema } from '@enclave/contracts';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/api-error.ts';
import { useSession } from '../app/session.tsx';
import { ErrorBanner, Field } from '../components/common.tsx';
import { useI18n } from '../i18n/i18n.tsx';

export function LoginPage() {
  const { t } = useI18n();
  const { signIn } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setFailure(null);
    const check = LoginRequestSchema.safeParse({ email, password });
    if (!check.success) {
      const next: Record<string, string> = {};
      for (const issue of check.error.issues) next[String(issue.path[0])] ??= issue.message;
      setErrors(next);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await signIn(email, password);
    } catch (error) {
      if (error instanceof ApiError) setErrors(error.fieldsUnder('body.'));
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="login">
      <form
        className="card login-card"
        onSubmit={(e) => void onSubmit(e)}
        noValidate
        aria-labelledby="login-title"
      >
        <h1 id="login-title">{t('signInTitle')}</h1>
        <p className="muted">{t('signInHint')}</p>
        <Field label={t('email')} error={errors['email']}>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              name="email"
              type="email"
              autoComplete="username"
              aria-describedby={describedBy}
              aria-invalid={invalid}
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          )}
        </Field>
        <Field label={t('password')} error={errors['password']}>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              name="password"
              type="password"
              autoComplete="current-password"
              aria-describedby={describedBy}
              aria-invalid={invalid}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <ErrorBanner error={failure} />
        <button type="submit" disabled={busy}>
          {busy ? t('signingIn') : t('signIn')}
        </button>
      </form>
    </main>
  );
}
