import type { PluginOption } from 'vite';

/** Placeholder until the PWA step: no service worker yet. */
export function pwa(): PluginOption {
  return [];
}
