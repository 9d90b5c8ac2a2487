// One part of the DPO's area: a card with its heading, found by `data-area` (the E2E counts them).
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/messages.ts';
import type { ReactNode } from 'react';

export function Area({ id, title, children }: { id: string; title: MessageKey; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <section className="card" aria-labelledby={`area-${id}`} data-area={id}>
      <h2 id={`area-${id}`}>{t(title)}</h2>
      {children}
    </section>
  );
}

/** What a part says when the contract does not give the caller's role its routes. */
export function NotAvailable() {
  const { t } = useI18n();
  return <p className="muted not-available">{t('notAvailable')}</p>;
}
