import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './index.css';
import { App } from './app/App';
import { findRoute } from './app/router-core';
import { ROUTES } from './app/routes';

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');
const render = () =>
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
// A listener's page (and the join page) first waits for its chunk, which index.html has already
// asked for beside this one, so the first frame is the page itself. Other pages show "Loading…".
const first = findRoute(ROUTES, window.location.pathname)?.value;
if (first?.anonymous) first.component.preload().then(render, render);
else render();

// The service worker (build/pwa.ts) once the page has loaded, so it never competes with it.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
      // no service worker (private mode, an old browser): the app works online as before
    });
  });
}
