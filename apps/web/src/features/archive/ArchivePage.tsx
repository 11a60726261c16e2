import { useState } from 'react';
import type { ArchiveEntry, Recording } from '@rstream/protocol';
import { sessionsApi } from '../../api/endpoints';
import { errorMessage } from '../../api/errors';
import { useFetched } from '../../api/use-fetched';
import { useI18n } from '../../app/i18n';
import { Link } from '../../app/router';
import { Alert } from '../../ui/Alert';
import { Button, buttonClass } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { formatAverage, formatDateTime, formatDuration } from '../../ui/format';
import { useDocumentTitle } from '../../ui/hooks';
import { colorForAverage } from '../../ui/levels';
import { archiveApi } from '../recording/recordings-api';
import { useArchiveT, type ArchT, type ArchiveKey } from './strings';

const DAY_MS = 24 * 3600 * 1000;

export function recordingSummary(recordings: Recording[], t: ArchT): { text: string; status: string } {
  if (recordings.length === 0) return { text: t('arch.rec.none'), status: 'none' };
  const worst = (['recording', 'processing', 'failed'] as const).find((s) =>
    recordings.some((r) => r.status === s),
  );
  const status = worst ?? 'ready';
  const total = recordings.reduce((sum, r) => sum + (r.durationMs ?? 0), 0);
  const label: Record<typeof status, ArchiveKey> = {
    ready: 'arch.rec.ready',
    processing: 'arch.rec.processing',
    recording: 'arch.rec.recording',
    failed: 'arch.rec.failed',
  };
  const parts = recordings.length > 1 ? ` · ${t('arch.rec.parts', { n: recordings.length })}` : '';
  return { text: `${t(label[status])}${total > 0 ? ` · ${formatDuration(total)}` : ''}${parts}`, status };
}

function ExpiryCell({ entry, t, lang }: { entry: ArchiveEntry; t: ArchT; lang: string }) {
  if (entry.keep || !entry.expiresAt) {
    return (
      <span
        className="rounded-full bg-emerald-100 px-2 py-0.5 text-sm font-semibold text-emerald-900"
        title={t('arch.keptHint')}
      >
        {t('arch.kept')}
      </span>
    );
  }
  const days = Math.max(0, Math.ceil((new Date(entry.expiresAt).getTime() - Date.now()) / DAY_MS));
  return (
    <span className="text-sm">
      {new Date(entry.expiresAt).toLocaleDateString(lang === 'ja' ? 'ja-JP' : 'en-GB', {
        year: 'numeric',
        month: 'short',
        day: 'numeric',
      })}
      <span className={`block text-xs ${days <= 3 ? 'font-semibold text-danger' : 'text-muted'}`}>
        {days === 0 ? t('arch.expiresToday') : t('arch.expiresIn', { n: days })}
      </span>
    </span>
  );
}

/** /archive — the speaker's ended sessions, with keep and delete. */
export function ArchivePage() {
  const { t: tApp, lang } = useI18n();
  const t = useArchiveT();
  const {
    data: entries,
    setData: setEntries,
    error,
    setError,
  } = useFetched(() => archiveApi.list().then((r) => r.sessions));
  const [notice, setNotice] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<ArchiveEntry | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  useDocumentTitle(t('arch.title'));

  const keep = async (e: ArchiveEntry) => {
    setBusy(e.session.id);
    setError(null);
    try {
      const { entry } = await archiveApi.keep(e.session.id, !e.keep);
      setEntries((list) => list?.map((x) => (x.session.id === entry.session.id ? entry : x)) ?? null);
      setNotice(
        entry.keep
          ? t('arch.keptNotice', { title: entry.session.title })
          : t('arch.unkeptNotice', {
              title: entry.session.title,
              date: formatDateTime(entry.expiresAt, lang),
            }),
      );
    } catch (err) {
      setError(errorMessage(err, tApp));
    } finally {
      setBusy(null);
    }
  };

  const remove = async (e: ArchiveEntry) => {
    setConfirm(null);
    setBusy(e.session.id);
    setError(null);
    try {
      await sessionsApi.remove(e.session.id);
      setEntries((list) => list?.filter((x) => x.session.id !== e.session.id) ?? null);
      setNotice(t('arch.deleted', { title: e.session.title }));
    } catch (err) {
      setError(errorMessage(err, tApp));
    } finally {
      setBusy(null);
    }
  };

  const th = 'px-3 py-3 font-semibold';
  return (
    <div className="mx-auto max-w-7xl px-4 py-8">
      <h1 className="text-3xl font-bold">{t('arch.title')}</h1>
      <p className="mb-6 mt-1 max-w-3xl text-muted">{t('arch.subtitle')}</p>
      {error && <Alert>{error}</Alert>}
      {notice && (
        <div className="mb-4">
          <Alert kind="success" testId="archive-notice">
            {notice}
          </Alert>
        </div>
      )}
      {!entries && !error && <p className="text-muted">{t('arch.loading')}</p>}
      {entries?.length === 0 && (
        <p className="rounded-xl bg-white p-8 text-center text-muted" data-testid="archive-empty">
          {t('arch.empty')}
        </p>
      )}
      {entries && entries.length > 0 && (
        <div className="overflow-x-auto rounded-2xl border border-line bg-white shadow-sm">
          <table className="w-full text-left" data-testid="archive-table">
            <thead className="border-b border-line bg-slate-50 text-sm text-muted">
              <tr>
                <th scope="col" className={th}>
                  {t('arch.col.session')}
                </th>
                <th scope="col" className={th}>
                  {t('arch.col.date')}
                </th>
                <th scope="col" className={`${th} text-right`}>
                  {t('arch.col.duration')}
                </th>
                <th scope="col" className={`${th} text-right`}>
                  {t('arch.col.participants')}
                </th>
                <th scope="col" className={`${th} text-right`}>
                  {t('arch.col.average')}
                </th>
                <th scope="col" className={th}>
                  {t('arch.col.recording')}
                </th>
                <th scope="col" className={th}>
                  {t('arch.col.report')}
                </th>
                <th scope="col" className={th}>
                  {t('arch.col.deleted')}
                </th>
                <th scope="col" className={`${th} text-right`}>
                  {t('arch.col.actions')}
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => {
                const rec = recordingSummary(e.recordings, t);
                const s = e.session;
                return (
                  <tr
                    key={s.id}
                    className="border-b border-line align-top last:border-0"
                    data-testid="archive-row"
                    data-session-id={s.id}
                  >
                    <th scope="row" className="px-3 py-3">
                      <Link to={`/archive/${s.id}`} className="font-semibold hover:underline">
                        {s.title}
                      </Link>
                      <span className="block text-xs font-normal text-muted">{t(`arch.mode.${s.mode}`)}</span>
                    </th>
                    <td className="px-3 py-3 text-sm">{formatDateTime(s.startedAt ?? s.createdAt, lang)}</td>
                    <td className="px-3 py-3 text-right font-mono tabular-nums">
                      {e.durationMs === null ? '–' : formatDuration(e.durationMs)}
                    </td>
                    <td className="px-3 py-3 text-right tabular-nums">{e.participants}</td>
                    <td className="px-3 py-3 text-right">
                      <span className="inline-flex items-center gap-1.5 font-semibold tabular-nums">
                        <span
                          aria-hidden
                          className="h-3 w-3 rounded-full"
                          style={{ background: colorForAverage(e.avg) }}
                        />
                        {formatAverage(e.avg)}
                      </span>
                    </td>
                    <td
                      className="px-3 py-3 text-sm"
                      data-testid="archive-recording"
                      data-status={rec.status}
                    >
                      {rec.text}
                    </td>
                    <td
                      className="px-3 py-3 text-sm"
                      data-testid="archive-report"
                      data-status={e.report.status}
                    >
                      {t(`arch.report.${e.report.status}`)}
                    </td>
                    <td className="px-3 py-3">
                      <ExpiryCell entry={e} t={t} lang={lang} />
                    </td>
                    <td className="px-3 py-3">
                      <div className="flex justify-end gap-1.5">
                        <Link
                          to={`/archive/${s.id}`}
                          className={buttonClass('primary', 'sm')}
                          data-testid="archive-play"
                        >
                          ▶ {t('arch.play')}
                        </Link>
                        <Button
                          variant="secondary"
                          size="sm"
                          disabled={busy === s.id}
                          aria-pressed={e.keep}
                          onClick={() => void keep(e)}
                          data-testid="archive-keep"
                        >
                          {e.keep ? t('arch.unkeep') : t('arch.keep')}
                        </Button>
                        <Button
                          variant="ghost"
                          size="sm"
                          className="text-danger"
                          disabled={busy === s.id}
                          onClick={() => setConfirm(e)}
                          aria-label={`${t('arch.delete')}: ${s.title}`}
                          data-testid="archive-delete"
                        >
                          {t('arch.delete')}
                        </Button>
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <Dialog
        open={confirm !== null}
        onClose={() => setConfirm(null)}
        title={t('arch.deleteTitle', { title: confirm?.session.title ?? '' })}
        testId="archive-delete-dialog"
        footer={
          <>
            <Button variant="secondary" onClick={() => setConfirm(null)}>
              {tApp('common.cancel')}
            </Button>
            <Button
              variant="danger"
              onClick={() => confirm && void remove(confirm)}
              data-testid="archive-delete-ok"
            >
              {t('arch.delete')}
            </Button>
          </>
        }
      >
        <p>{t('arch.deleteBody')}</p>
      </Dialog>
    </div>
  );
}
