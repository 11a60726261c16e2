import { useEffect, useRef } from 'react';
import { isTypingTarget } from '../../ui/hooks';

export interface SpeakerKeyHandlers {
  help: () => void;
  settings: () => void;
  archive: () => void;
  record: () => void;
}

/** F1 help, S settings, A archive, R recording — not while typing or while a dialog is open. */
export function useSpeakerKeys(handlers: SpeakerKeyHandlers): void {
  const ref = useRef(handlers);
  useEffect(() => {
    ref.current = handlers;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'F1') {
        e.preventDefault();
        ref.current.help();
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey || e.repeat || isTypingTarget(e.target)) return;
      if (document.querySelector('dialog[open]')) return;
      const key = e.key.toLowerCase();
      const action = key === 's' ? 'settings' : key === 'a' ? 'archive' : key === 'r' ? 'record' : null;
      if (!action) return;
      e.preventDefault();
      ref.current[action]();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
