import { describe, expect, it } from 'vitest';
import { ACCOUNT_DICTS } from '../../features/account/strings';
import { ADMIN_DICTS } from '../../features/admin/strings';
import { AUTH_DICTS } from '../../features/auth/strings';
import { CREATE_FORM_DICTS } from '../../features/create/strings';
import { HOME_DICTS } from '../../features/home/strings';
import { INVITE_DICTS } from '../../features/invite/strings';
import { SESSIONS_DICTS } from '../../features/sessions/strings';
import { SPEAKER_DICTS } from '../../features/speaker/strings';
import { en } from './en';
import { ja } from './ja';
import { detectLanguage, translate } from './translate';

/** The pages' own dictionaries that took strings out of en/ja (loaded with their page's chunk). */
const PAGE_DICTS: Record<string, { en: Record<string, string>; ja: Record<string, string> }> = {
  account: ACCOUNT_DICTS,
  admin: ADMIN_DICTS,
  auth: AUTH_DICTS,
  create: CREATE_FORM_DICTS,
  home: HOME_DICTS,
  invite: INVITE_DICTS,
  sessions: SESSIONS_DICTS,
  speaker: SPEAKER_DICTS,
};

describe('translate', () => {
  it('uses the requested language', () => {
    expect(translate('ja', 'status.live')).toBe('進行中');
    expect(translate('en', 'status.live')).toBe('Live');
  });

  it('falls back to English, then to the key', () => {
    const dicts = { en: { a: 'A', b: 'B {x}' }, ja: { a: 'エー' } };
    expect(translate('ja', 'a', undefined, dicts)).toBe('エー');
    expect(translate('ja', 'b', { x: 1 }, dicts)).toBe('B 1');
    expect(translate('ja', 'no.such.key', undefined, dicts)).toBe('no.such.key');
    expect(translate('ja', 'no.such.key')).toBe('no.such.key');
  });

  it('has every Japanese key in the English reference and no empty strings', () => {
    for (const [key, value] of Object.entries(ja)) {
      expect(en).toHaveProperty(key);
      expect(value).not.toBe('');
    }
  });

  it("has the pages' own dictionaries in both languages, with the same keys and no empty strings", () => {
    for (const [page, dicts] of Object.entries(PAGE_DICTS)) {
      expect(Object.keys(dicts.ja).sort(), page).toEqual(Object.keys(dicts.en).sort());
      for (const value of [...Object.values(dicts.en), ...Object.values(dicts.ja)])
        expect(value, page).not.toBe('');
    }
  });

  it('fills variables and leaves unknown slots alone', () => {
    expect(translate('en', 'listener.anonymousName', { n: 7 })).toBe('Listener #7');
    expect(translate('ja', 'listener.anonymousName', { n: 7 })).toBe('聴き手 #7');
    expect(translate('en', 'join.host')).toBe('Speaker: {name}');
  });

  it('has the meter caption the product asks for', () => {
    expect(translate('ja', 'listener.meter.caption')).toBe('1 わからない ⇔ 5 わかる');
  });
});

describe('detectLanguage', () => {
  it('prefers the stored choice', () => {
    expect(detectLanguage('en', ['ja-JP'])).toBe('en');
    expect(detectLanguage('ja', ['en-US'])).toBe('ja');
  });
  it('takes the first language we speak from navigator.languages', () => {
    expect(detectLanguage(null, ['ja-JP', 'en-US'])).toBe('ja');
    expect(detectLanguage(null, ['fr-FR', 'en-GB', 'ja'])).toBe('en');
    expect(detectLanguage(null, ['fr-FR', 'JA'])).toBe('ja');
    expect(detectLanguage('xx', [])).toBe('en');
  });
});

describe('Japanese wording', () => {
  it('calls listeners 聴き手 everywhere (not 参加者 or リスナー)', async () => {
    // the questions feature exports only its hook (useQuestionsT): read its Japanese block as text
    const { default: questionsSource } = await import('../../features/questions/strings.ts?raw');
    const questionsJa = questionsSource.slice(questionsSource.indexOf('const ja'));
    expect(questionsJa).toContain('質問');
    const all = [
      ...Object.values(ja),
      ...Object.values(PAGE_DICTS).flatMap((dicts) => Object.values(dicts.ja)),
      ...[...questionsJa.matchAll(/: '([^']*)'/g)].map((m) => m[1] ?? ''),
    ];
    expect(all.filter((s) => /参加者|リスナー/.test(s))).toEqual([]);
  });
});
