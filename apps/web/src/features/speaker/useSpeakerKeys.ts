import { useEffect, useRef } from 'react';
import { isTypingTarget } from '../../ui/hooks';

export interface SpeakerKeyHandlers {
  help: () => void;
  settings: () => void;
  archive: () => void;
  record: () => void;
  /** F11: the presentation view on/off */
  present: () => void;
  /** Esc outside dialogs: leaves the presentation view (false when there was nothing to leave) */
  escape: () => boolean;
}

/**
 * F1 help, F11 presentation view, Esc leaves it, S settings, A archive, R recording — the
 * letters not while typing, none of them (but F1) while a dialog is open.
 */
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
      if (document.querySelector('dialog[open]')) return;
      if (e.key === 'F11') {
        // The in-app presentation view instead of the browser's own full screen.
        e.preventDefault();
        if (!e.repeat) ref.current.present();
        return;
      }
      if (e.key === 'Escape') {
        if (ref.current.escape()) e.preventDefault();
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey || e.repeat || isTypingTarget(e.target)) return;
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
