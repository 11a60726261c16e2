import { useCallback, useEffect, useRef, useState } from 'react';
import { useI18n } from '../app/i18n';
import { errorMessage } from './errors';

/**
 * What a page lists from the API: fetched on mount and again on `reload()`, with the error it
 * met in the UI's words. `setData` lets the page apply its own changes without a round trip.
 */
export function useFetched<T>(fetcher: () => Promise<T>) {
  const { t } = useI18n();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(fetcher);
  useEffect(() => {
    latest.current = fetcher;
  });
  const reload = useCallback(() => {
    latest.current().then(setData, (err: unknown) => setError(errorMessage(err, t)));
  }, [t]);
  useEffect(reload, [reload]);
  return { data, setData, error, setError, reload };
}
