import { describe, expect, it } from 'vitest';
import { translate } from '../../app/i18n';
import { CREATE_FORM_DICTS, fieldErrorsFromDetails, type CreateFormT } from './strings';

const t =
  (lang: 'en' | 'ja'): CreateFormT =>
  (key, vars) =>
    translate(lang, key, vars, CREATE_FORM_DICTS);

describe("the create form's field messages", () => {
  it("puts the server's VALIDATION_FAILED details beside their fields, in the page's language", () => {
    const details = [
      { path: 'settings.warning.threshold', message: 'Too big: expected number to be <=5' },
      { path: 'settings.plannedDurationMin', message: 'Too small' },
      { path: 'settings.mystery', message: 'Unrecognized key' },
    ];
    const en = fieldErrorsFromDetails(details, t('en'));
    expect(en.fields).toEqual({
      'settings.warning.threshold': 'Enter a number from 1 to 5.',
      'settings.plannedDurationMin': 'Enter a whole number from 1 to 1440.',
    });
    expect(en.other).toEqual(['settings.mystery: Unrecognized key']);
    const ja = fieldErrorsFromDetails(details, t('ja'));
    expect(ja.fields['settings.warning.threshold']).toBe('1〜5の数値を入力してください。');
  });

  it('ignores details that are not a list', () => {
    expect(fieldErrorsFromDetails({ oops: 1 }, t('en'))).toEqual({ fields: {}, other: [] });
  });

  it('has every message in Japanese', () => {
    for (const key of Object.keys(CREATE_FORM_DICTS.en))
      expect(CREATE_FORM_DICTS.ja[key as keyof typeof CREATE_FORM_DICTS.ja]).toBeTruthy();
  });
});
