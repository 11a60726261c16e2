import { icons } from '../../ui/icons';
import { ChoiceCards } from '../create/ChoiceCard';
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
        <ChoiceCards
          name="video-facilitator"
          selected={value.facilitator}
          onSelect={(facilitator) => set({ facilitator })}
          choices={[
            {
              value: 'me',
              icon: icons.person,
              title: t('v.fac.me'),
              description: t('v.fac.me.desc'),
              testId: 'video-facilitator-me',
            },
            {
              value: 'someone_else',
              icon: icons.mail,
              title: t('v.fac.someone'),
              description: t('v.fac.someone.desc'),
              testId: 'video-facilitator-someone',
            },
          ]}
        />
      </fieldset>
      <fieldset>
        <legend className="mb-2 text-lg font-bold">{t('v.prov.legend')}</legend>
        <ChoiceCards
          name="video-provider"
          selected={value.provider}
          // someone else brings the video later: no video is chosen now
          onSelect={(provider) => set(provider === 'me' ? { provider } : { provider, videoId: null })}
          choices={[
            {
              value: 'me',
              icon: icons.video,
              title: t('v.prov.me'),
              description: t('v.prov.me.desc'),
              testId: 'video-provider-me',
            },
            {
              value: 'someone_else',
              icon: icons.mail,
              title: t('v.prov.someone'),
              description: t('v.prov.someone.desc'),
              testId: 'video-provider-someone',
            },
          ]}
        />
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
