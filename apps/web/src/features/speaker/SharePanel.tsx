import { useState } from 'react';
import { Button } from '../../ui/Button';
import { absoluteUrl, hostOf, useJoinQr } from './join-qr';
import { useSpeakerT } from './strings';

/** Code in large letters, the join link with a copy button, and a QR code of the link. */
export function SharePanel({ code, joinUrl }: { code: string; joinUrl: string }) {
  const t = useSpeakerT();
  const url = absoluteUrl(joinUrl);
  const qr = useJoinQr(url);
  const [copied, setCopied] = useState(false);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      const input = document.createElement('textarea');
      input.value = url;
      document.body.appendChild(input);
      input.select();
      document.execCommand('copy');
      input.remove();
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  };

  const host = hostOf(url);

  return (
    <section
      aria-labelledby="share-title"
      className="rounded-2xl border border-line bg-white p-4 shadow-sm"
      data-testid="share-panel"
    >
      <h2 id="share-title" className="text-sm font-bold uppercase tracking-wide text-muted">
        {t('share.title')}
      </h2>
      <p className="mt-1 text-sm text-muted">{t('share.goTo', { host })}</p>
      <p
        data-testid="join-code"
        className="my-2 text-center font-mono text-5xl font-black tracking-[0.18em] text-ink xl:text-6xl"
        aria-label={code.split('').join(' ')}
      >
        {code}
      </p>
      {qr && (
        <img
          src={qr}
          alt={t('share.qrAlt', { url })}
          className="mx-auto aspect-square w-full max-w-48 rounded-lg"
          data-testid="join-qr"
        />
      )}
      <div className="mt-3 flex items-center gap-2">
        <input
          readOnly
          value={url}
          aria-label={t('share.title')}
          onFocus={(e) => e.target.select()}
          className="min-w-0 flex-1 truncate rounded-lg border border-slate-300 bg-slate-50 px-2 py-1.5 font-mono text-sm"
          data-testid="join-link"
        />
        <Button size="sm" variant="secondary" onClick={() => void copy()} data-testid="copy-link">
          {copied ? t('share.copied') : t('share.copyLink')}
        </Button>
      </div>
      <p aria-live="polite" className="sr-only">
        {copied ? t('share.copied') : ''}
      </p>
    </section>
  );
}
