import { useState } from 'react';
import {
  DEFAULT_REACTION_LAG_SEC,
  DISCUSSION_LINKS_MAX,
  DISCUSSION_SPEAKERS_MAX,
  MATERIALS_CHOICES,
  type DiscussionSettings,
  type FacilitatorChoice,
} from '@rstream/protocol';
import { Button } from '../../ui/Button';
import { Checkbox, inputClass } from '../../ui/form';
import { icons } from '../../ui/icons';
import { ChoiceCard } from '../create/ChoiceCard';
import { useDiscussionT } from './strings';

export const DEFAULT_DISCUSSION: DiscussionSettings = {
  facilitator: 'me',
  materials: [],
  links: [],
  speakers: [],
  reactionLagSec: DEFAULT_REACTION_LAG_SEC,
};

const isWebLink = (u: string) => /^https?:\/\/[^\s]+\.[^\s]+/i.test(u.trim());

/** Step 2 of the create flow for a discussion: facilitator, materials, speakers, reaction lag. */
export function DiscussionChoices({
  value,
  onChange,
}: {
  value: DiscussionSettings;
  onChange: (v: DiscussionSettings) => void;
}) {
  const t = useDiscussionT();
  const [linkTitle, setLinkTitle] = useState('');
  const [linkUrl, setLinkUrl] = useState('');
  const [speaker, setSpeaker] = useState('');
  const set = (patch: Partial<DiscussionSettings>) => onChange({ ...value, ...patch });
  const facilitator = (f: FacilitatorChoice, icon: keyof typeof icons, key: 'me' | 'someone' | 'none') => (
    <ChoiceCard
      name="facilitator"
      value={f}
      icon={icons[icon]}
      checked={value.facilitator === f}
      onSelect={() => set({ facilitator: f })}
      title={t(`d.fac.${key}`)}
      description={t(`d.fac.${key}.desc`)}
      testId={`facilitator-${f}`}
    />
  );
  const linkOk = isWebLink(linkUrl);
  const addLink = () => {
    if (!linkOk || value.links.length >= DISCUSSION_LINKS_MAX) return;
    set({ links: [...value.links, { title: linkTitle.trim(), url: linkUrl.trim() }] });
    setLinkTitle('');
    setLinkUrl('');
  };
  const addSpeaker = () => {
    const n = speaker.trim().slice(0, 64);
    if (!n || value.speakers.includes(n) || value.speakers.length >= DISCUSSION_SPEAKERS_MAX) return;
    set({ speakers: [...value.speakers, n] });
    setSpeaker('');
  };
  const onEnter = (fn: () => void) => (e: React.KeyboardEvent) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      fn();
    }
  };

  return (
    <div className="flex flex-col gap-5" data-testid="discussion-choices">
      <fieldset>
        <legend className="mb-2 text-lg font-bold">{t('d.fac.legend')}</legend>
        <div className="grid gap-4 md:grid-cols-3">
          {facilitator('me', 'person', 'me')}
          {facilitator('someone_else', 'mail', 'someone')}
          {facilitator('none', 'discussion', 'none')}
        </div>
      </fieldset>

      <fieldset className="rounded-xl border border-line bg-white p-4">
        <legend className="px-1 text-lg font-bold">{t('d.mat.legend')}</legend>
        <div className="flex flex-col gap-2">
          {MATERIALS_CHOICES.map((m) => (
            <Checkbox
              key={m}
              label={t(`d.mat.${m}`)}
              checked={value.materials.includes(m)}
              onChange={(e) =>
                set({
                  materials: e.target.checked
                    ? [...value.materials, m]
                    : value.materials.filter((x) => x !== m),
                })
              }
              data-testid={`materials-${m}`}
            />
          ))}
        </div>
        <p className="mt-3 text-sm font-semibold">{t('d.links.legend')}</p>
        <ul className="my-1 flex flex-col gap-1 text-sm">
          {value.links.map((l, i) => (
            <li key={l.url + i} className="flex items-center gap-2">
              <span className="truncate font-semibold">{l.title || l.url}</span>
              {l.title && <span className="truncate text-muted">{l.url}</span>}
              <button
                type="button"
                className="ml-auto rounded px-2 text-muted hover:bg-slate-100"
                aria-label={t('d.links.remove', { title: l.title || l.url })}
                onClick={() => set({ links: value.links.filter((_, j) => j !== i) })}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
        <div className="flex flex-wrap gap-2">
          <input
            className={`${inputClass} max-w-48`}
            value={linkTitle}
            maxLength={120}
            placeholder={t('d.links.title')}
            aria-label={t('d.links.title')}
            data-testid="link-title"
            onChange={(e) => setLinkTitle(e.target.value)}
            onKeyDown={onEnter(addLink)}
          />
          <input
            className={`${inputClass} min-w-56 flex-1`}
            value={linkUrl}
            type="url"
            maxLength={2000}
            placeholder={t('d.links.url')}
            aria-label="URL"
            aria-invalid={linkUrl !== '' && !linkOk}
            onChange={(e) => setLinkUrl(e.target.value)}
            onKeyDown={onEnter(addLink)}
            data-testid="link-url"
          />
          <Button variant="secondary" onClick={addLink} disabled={!linkOk} className="whitespace-nowrap">
            {t('d.links.add')}
          </Button>
        </div>
        {linkUrl !== '' && !linkOk && <p className="mt-1 text-sm text-danger">{t('d.links.bad')}</p>}
      </fieldset>

      <fieldset className="rounded-xl border border-line bg-white p-4">
        <legend className="px-1 text-lg font-bold">{t('d.speakers.legend')}</legend>
        <p className="mb-2 text-sm text-muted">{t('d.speakers.hint')}</p>
        <ul className="mb-2 flex flex-wrap gap-2" data-testid="listed-speakers">
          {value.speakers.map((s) => (
            <li
              key={s}
              className="inline-flex items-center gap-1 rounded-full bg-slate-100 py-1 pr-1 pl-3 font-semibold"
            >
              {s}
              <button
                type="button"
                className="rounded-full px-2 text-muted hover:bg-slate-200"
                aria-label={t('d.speakers.remove', { name: s })}
                onClick={() => set({ speakers: value.speakers.filter((x) => x !== s) })}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
        <div className="flex max-w-md gap-2">
          <input
            className={inputClass}
            value={speaker}
            maxLength={64}
            placeholder={t('d.speakers.placeholder')}
            aria-label={t('d.speakers.placeholder')}
            onChange={(e) => setSpeaker(e.target.value)}
            onKeyDown={onEnter(addSpeaker)}
            data-testid="speaker-name"
          />
          <Button
            variant="secondary"
            onClick={addSpeaker}
            disabled={!speaker.trim()}
            data-testid="add-speaker"
          >
            {t('d.speakers.add')}
          </Button>
        </div>
        <label className="mt-4 block max-w-md">
          <span className="font-semibold">{t('d.lag.label')}</span>
          <input
            type="number"
            min={0}
            max={30}
            className={`${inputClass} mt-1 w-24`}
            value={value.reactionLagSec}
            onChange={(e) =>
              set({ reactionLagSec: Math.max(0, Math.min(30, Math.round(Number(e.target.value) || 0))) })
            }
            data-testid="reaction-lag"
          />
          <span className="mt-1 block text-sm text-muted">{t('d.lag.hint')}</span>
        </label>
      </fieldset>
    </div>
  );
}
