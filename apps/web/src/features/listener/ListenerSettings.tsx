import type { ReactNode } from 'react';
import type { PublicSession } from '@rstream/protocol';
import { PROTOCOL_VERSION } from '@rstream/protocol/light';
import { useI18n } from '../../app/i18n';
import type { RealtimeSnapshot } from '../../realtime/types';
import { Dialog } from '../../ui/Dialog';
import { LanguageSwitch } from '../../ui/LanguageSwitch';
import { useListenerT } from './strings';

/** The build this page comes from (vite.config.ts `define`); absent in unit tests. */
const APP_VERSION: string = import.meta.env.RSTREAM_VERSION ?? 'dev';
const APP_COMMIT: string = import.meta.env.RSTREAM_COMMIT ?? '';

interface Props {
  open: boolean;
  onClose: () => void;
  session: PublicSession;
  connection: RealtimeSnapshot;
  myName: string;
  /** What this listener sees of the graph (the session's setting, or everything in a discussion). */
  visibility: 'none' | 'own' | 'all';
}

function Row({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-0.5 border-b border-line py-2 last:border-0">
      <dt className="text-muted">{label}</dt>
      <dd className="min-w-0 break-all text-right font-semibold" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="mb-4 last:mb-0">
      <h3 className="mb-1 text-sm font-bold tracking-wide text-muted uppercase">{title}</h3>
      {children}
    </section>
  );
}

/**
 * The listener's settings: the language, and what a listener wonders about in a hall with bad
 * Wi-Fi or a privacy question — which server this phone talks to, whether the link is up, its
 * round trip, whether it is encrypted, what the speaker sees of them, and the app's version.
 */
export function ListenerSettings({ open, onClose, session, connection, myName, visibility }: Props) {
  const { t } = useI18n();
  const lt = useListenerT();
  const { host, protocol } = window.location;
  const secure = protocol === 'https:';
  return (
    <Dialog open={open} onClose={onClose} title={lt('listener.settings.title')} testId="listener-settings">
      <Section title={lt('listener.settings.language')}>
        {/* the switch is made for the dark header bar */}
        <div className="my-2 inline-block rounded-lg bg-brand p-1 text-white">
          <LanguageSwitch />
        </div>
      </Section>
      <Section title={lt('listener.settings.connection')}>
        <dl>
          <Row label={lt('listener.settings.state')} testId="settings-state">
            <span data-state={connection.state}>{t(`conn.${connection.state}`)}</span>
            {connection.pendingLevel !== null && (
              <span className="block text-sm font-normal text-muted">{lt('listener.settings.pending')}</span>
            )}
          </Row>
          <Row label={lt('listener.settings.server')} testId="settings-server">
            {host}
          </Row>
          <Row label={lt('listener.settings.security')} testId="settings-security">
            {secure ? lt('listener.settings.secure') : lt('listener.settings.insecure')}
          </Row>
          <Row label={lt('listener.settings.latency')} testId="settings-latency">
            {connection.state === 'open' && connection.latencyMs !== null
              ? t('conn.latency', { ms: connection.latencyMs })
              : lt('listener.settings.latencyNone')}
          </Row>
          <Row label={lt('listener.settings.code')} testId="settings-code">
            <span className="font-mono tracking-widest">{session.code}</span>
          </Row>
        </dl>
      </Section>
      <Section title={lt('listener.settings.privacy')}>
        <p className="py-2" data-testid="settings-privacy">
          {session.settings.anonymous
            ? lt('listener.settings.seesAnonymous')
            : lt('listener.settings.seesName', { name: myName })}
        </p>
        <dl>
          <Row label={lt('listener.settings.graph')}>{lt(`listener.settings.graph.${visibility}`)}</Row>
          <Row label={lt('listener.settings.signal')}>
            {lt(`listener.settings.signal.${session.settings.signalStyle}`)}
          </Row>
        </dl>
      </Section>
      <Section title={lt('listener.settings.about')}>
        <dl>
          <Row label={lt('listener.settings.version')} testId="settings-version">
            {APP_VERSION}
            {APP_COMMIT && <span className="font-mono font-normal text-muted"> ({APP_COMMIT})</span>}
          </Row>
          <Row label={lt('listener.settings.protocol')}>{PROTOCOL_VERSION}</Row>
        </dl>
      </Section>
    </Dialog>
  );
}
