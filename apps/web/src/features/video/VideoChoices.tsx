import { icons } from '../../ui/icons';
import { ChoiceCard } from '../create/ChoiceCard';
import { useVideoT } from './strings';
import type { VideoSettings } from './types';
import { VideoLibrary } from './VideoLibrary';

export const DEFAULT_VIDEO: VideoSettings = { videoId: null, facilitator: 'me', provider: 'me' };

/** Step 2 of the create flow for video watching: who facilitates, who provides it, which video. */
export function VideoChoices({
  value,
  onChange,
}: {
  value: VideoSettings;
  onChange: (v: VideoSettings) => void;
}) {
  const t = useVideoT();
  const set = (patch: Partial<VideoSettings>) => onChange({ ...value, ...patch });
  return (
    <div className="flex flex-col gap-5" data-testid="video-choices">
      <fieldset>
        <legend className="mb-2 text-lg font-bold">{t('v.fac.legend')}</legend>
        <div className="grid gap-4 md:grid-cols-2">
          <ChoiceCard
            name="video-facilitator"
            value="me"
            icon={icons.person}
            checked={value.facilitator === 'me'}
            onSelect={() => set({ facilitator: 'me' })}
            title={t('v.fac.me')}
            description={t('v.fac.me.desc')}
            testId="video-facilitator-me"
          />
          <ChoiceCard
            name="video-facilitator"
            value="someone_else"
            icon={icons.mail}
            checked={value.facilitator === 'someone_else'}
            onSelect={() => set({ facilitator: 'someone_else' })}
            title={t('v.fac.someone')}
            description={t('v.fac.someone.desc')}
            testId="video-facilitator-someone"
          />
        </div>
      </fieldset>
      <fieldset>
        <legend className="mb-2 text-lg font-bold">{t('v.prov.legend')}</legend>
        <div className="grid gap-4 md:grid-cols-2">
          <ChoiceCard
            name="video-provider"
            value="me"
            icon={icons.video}
            checked={value.provider === 'me'}
            onSelect={() => set({ provider: 'me' })}
            title={t('v.prov.me')}
            description={t('v.prov.me.desc')}
            testId="video-provider-me"
          />
          <ChoiceCard
            name="video-provider"
            value="someone_else"
            icon={icons.mail}
            checked={value.provider === 'someone_else'}
            onSelect={() => set({ provider: 'someone_else', videoId: null })}
            title={t('v.prov.someone')}
            description={t('v.prov.someone.desc')}
            testId="video-provider-someone"
          />
        </div>
      </fieldset>
      <fieldset className="rounded-xl border border-line bg-white p-4">
        <legend className="px-1 text-lg font-bold">{t('v.which.legend')}</legend>
        {value.provider === 'someone_else' ? (
          <p className="text-muted" data-testid="video-later">
            {t('v.which.later')}
          </p>
        ) : (
          <VideoLibrary selected={value.videoId} onPick={(v) => set({ videoId: v.id })} />
        )}
      </fieldset>
    </div>
  );
}
