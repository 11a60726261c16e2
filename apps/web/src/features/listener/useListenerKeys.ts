import { useEffect, useLayoutEffect, useRef, type Dispatch } from 'react';
import { isTypingTarget } from '../../ui/hooks';
import { MOMENTARY_REPEAT_MS, type MeterAction, type MeterState } from './meter-reducer';

/**
 * ← lower, → higher, 1–5 direct, F1 help. In momentary style a held arrow keeps moving every
 * 400 ms and letting go returns to 3. The OS key repeat is ignored: our own timer sets the pace.
 */
export function useListenerKeys(
  state: MeterState,
  dispatch: Dispatch<MeterAction>,
  enabled: boolean,
  onHelp: () => void,
): void {
  const helpRef = useRef(onHelp);
  const enabledRef = useRef(enabled);
  // Layout effects run in the same commit as the DOM they belong to: a key pressed the moment the
  // buttons turn enabled already counts (a passive effect ran a frame later, and that press was lost).
  useLayoutEffect(() => {
    helpRef.current = onHelp;
    enabledRef.current = enabled;
  });

  useLayoutEffect(() => {
    const onDown = (e: KeyboardEvent) => {
      if (e.key === 'F1') {
        e.preventDefault();
        helpRef.current();
        return;
      }
      if (!enabledRef.current || e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target)) return;
      if (document.querySelector('dialog[open]')) return;
      // The slider handles its own arrows.
      if (e.target instanceof HTMLInputElement && e.target.type === 'range' && e.key.startsWith('Arrow'))
        return;
      if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
        e.preventDefault();
        if (!e.repeat) dispatch({ type: 'press', dir: e.key === 'ArrowLeft' ? -1 : 1 });
        return;
      }
      if (/^[1-5]$/.test(e.key)) {
        e.preventDefault();
        if (!e.repeat) dispatch({ type: 'hold', level: Number(e.key), source: `key${e.key}` });
      }
    };
    const onUp = (e: KeyboardEvent) => {
      if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
        dispatch({ type: 'release', source: 'arrow', dir: e.key === 'ArrowLeft' ? -1 : 1 });
      } else if (/^[1-5]$/.test(e.key)) {
        dispatch({ type: 'release', source: `key${e.key}` });
      }
    };
    // Losing focus while holding must not leave the level stuck.
    // So must a page hidden while holding (the keyup then goes to another app or tab).
    const onBlur = () => dispatch({ type: 'release' });
    const onHidden = () => {
      if (document.visibilityState === 'hidden') dispatch({ type: 'release' });
    };
    window.addEventListener('keydown', onDown);
    window.addEventListener('keyup', onUp);
    window.addEventListener('blur', onBlur);
    window.addEventListener('pagehide', onBlur);
    document.addEventListener('visibilitychange', onHidden);
    return () => {
      window.removeEventListener('pagehide', onBlur);
      document.removeEventListener('visibilitychange', onHidden);
      window.removeEventListener('keydown', onDown);
      window.removeEventListener('keyup', onUp);
      window.removeEventListener('blur', onBlur);
    };
  }, [dispatch]);

  // The momentary auto-repeat while an arrow is held.
  const holdingArrow = state.style === 'momentary' && state.held?.kind === 'arrow';
  useEffect(() => {
    if (!holdingArrow) return;
    const id = setInterval(() => dispatch({ type: 'repeat' }), MOMENTARY_REPEAT_MS);
    return () => clearInterval(id);
  }, [holdingArrow, dispatch]);
}
