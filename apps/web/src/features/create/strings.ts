import { useCallback } from 'react';
import { translate, useI18n } from '../../app/i18n';

/** The settings form's messages: why a value is refused (client checks and the server's details). */
const en = {
  'cf.range.int': 'Enter a whole number from {min} to {max}.',
  'cf.range.dec': 'Enter a number from {min} to {max}.',
  'cf.required': 'Give the session a title.',
  'cf.fixFields': 'Correct the marked fields first.',
  'cf.titleMissing': 'Create is off until the session has a title.',
};

export type CreateFormKey = keyof typeof en;

const ja: Record<CreateFormKey, string> = {
  'cf.range.int': '{min}〜{max}の整数を入力してください。',
  'cf.range.dec': '{min}〜{max}の数値を入力してください。',
  'cf.required': 'セッションのタイトルを入力してください。',
  'cf.fixFields': '印の付いた項目を先に直してください。',
  'cf.titleMissing': 'タイトルを入力すると作成できます。',
};

const dicts = { en, ja };

export type CreateFormT = (key: CreateFormKey, vars?: Record<string, string | number>) => string;

export function useCreateFormT(): CreateFormT {
  const { lang } = useI18n();
  return useCallback((key, vars) => translate(lang, key, vars, dicts), [lang]);
}

export const CREATE_FORM_DICTS = dicts;

/** The form's fields as the server names them in `details[].path`. */
export type FieldPath =
  'title' | 'settings.plannedDurationMin' | 'settings.warning.threshold' | 'settings.warning.durationSec';

export type FieldErrors = Partial<Record<FieldPath, string>>;

/** Ranges the form checks before sending (the same as the protocol's schema). */
export const FIELD_RANGES: Record<
  Exclude<FieldPath, 'title'>,
  { min: number; max: number; integer: boolean }
> = {
  'settings.plannedDurationMin': { min: 1, max: 24 * 60, integer: true },
  'settings.warning.threshold': { min: 1, max: 5, integer: false },
  'settings.warning.durationSec': { min: 1, max: 600, integer: true },
};

export function rangeMessage(t: CreateFormT, path: Exclude<FieldPath, 'title'>): string {
  const r = FIELD_RANGES[path];
  return t(r.integer ? 'cf.range.int' : 'cf.range.dec', { min: r.min, max: r.max });
}

/**
 * The server's VALIDATION_FAILED details as messages beside their fields (in the page's
 * language); details on other paths are returned apart, for the form's general alert.
 */
export function fieldErrorsFromDetails(
  details: unknown,
  t: CreateFormT,
): { fields: FieldErrors; other: string[] } {
  const fields: FieldErrors = {};
  const other: string[] = [];
  if (!Array.isArray(details)) return { fields, other };
  for (const d of details as { path?: unknown; message?: unknown }[]) {
    const path = typeof d.path === 'string' ? d.path : Array.isArray(d.path) ? d.path.join('.') : '';
    const message = typeof d.message === 'string' ? d.message : '';
    if (path === 'title') fields.title = t('cf.required');
    else if (path in FIELD_RANGES)
      fields[path as Exclude<FieldPath, 'title'>] = rangeMessage(t, path as Exclude<FieldPath, 'title'>);
    else other.push([path, message].filter(Boolean).join(': '));
  }
  return { fields, other };
}
