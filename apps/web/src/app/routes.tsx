import { createElement, lazy, useState, type ComponentType } from 'react';
import type { Params, RouteDef } from './router-core';

type PageProps = { params: Params };
export type PageComponent = ComponentType<PageProps> & {
  /** Loads the page's chunk; once it has, the page renders at once (no Suspense fallback). */
  preload: () => Promise<unknown>;
};

/**
 * A lazy page that can be loaded before the first render: main.tsx waits for the listener's and
 * the join page's chunks (already on their way, modulepreloaded by index.html) so the phone paints
 * the page itself in its first frame, not a "Loading…" that a second render replaces.
 */
export function page(load: () => Promise<ComponentType<PageProps>>): PageComponent {
  let loaded: ComponentType<PageProps> | null = null;
  let pending: Promise<ComponentType<PageProps>> | null = null;
  const preload = () =>
    (pending ??= load().then(
      (c) => (loaded = c),
      (err: unknown) => {
        pending = null; // a chunk that failed to load is asked for again next time
        throw err;
      },
    ));
  const Lazy = lazy(() => preload().then((c) => ({ default: c })));
  // One component per mount: a page that mounted through Lazy stays on it (no remount).
  const Page = (props: PageProps) => {
    const [C] = useState<ComponentType<PageProps>>(() => loaded ?? Lazy);
    return createElement(C, props);
  };
  return Object.assign(Page, { preload });
}

// Every page is its own chunk: a listener's phone loads the shell, the join page and the
// listener page — never the speaker's, ops or admin code, the charts or the form schemas.
const HomePage = page(() => import('../features/home/HomePage').then((m) => m.HomePage));
const LoginPage = page(() => import('../features/auth/AuthPages').then((m) => m.LoginPage));
const RegisterPage = page(() => import('../features/auth/AuthPages').then((m) => m.RegisterPage));
const JoinPage = page(() => import('../features/join/JoinPage').then((m) => m.JoinPage));
const HostPage = page(() => import('../features/speaker/HostPage').then((m) => m.HostPage));
const ListenerPage = page(() => import('../features/listener/ListenerPage').then((m) => m.ListenerPage));
const CreatePage = page(() => import('../features/create/CreatePage').then((m) => m.CreatePage));
const OpsDashboardPage = page(() =>
  import('../features/ops/OpsDashboardPage').then((m) => m.OpsDashboardPage),
);
const SessionsPage = page(() => import('../features/sessions/SessionsPage').then((m) => m.SessionsPage));

// Accounts, invitations and administration (features/account, invite, admin).
const InviteAcceptPage = page(() =>
  import('../features/invite/InviteAcceptPage').then((m) => m.InviteAcceptPage),
);
const PresenterPage = page(() => import('../features/invite/PresenterPage').then((m) => m.PresenterPage));
const AccountPage = page(() => import('../features/account/AccountPage').then((m) => m.AccountPage));
const ReportPage = page(() => import('../features/report/ReportPage').then((m) => m.ReportPage));
// Recording, archive and synchronised playback (features/archive, playback).
const ArchivePage = page(() => import('../features/archive/ArchivePage').then((m) => m.ArchivePage));
const PlaybackPage = page(() => import('../features/playback/PlaybackPage').then((m) => m.PlaybackPage));
const AdminPage = page(() => import('../features/admin/AdminPage').then((m) => m.AdminPage));

export interface PageRoute {
  component: PageComponent;
  /** Needs a logged-in speaker (otherwise → /login?next=…). */
  auth?: boolean;
  /** Full-screen page with its own header (no app header). */
  immersive?: boolean;
  /** A listener's page: no speaker account, so no sign-in probe (POST /api/auth/refresh). */
  anonymous?: boolean;
}

export const ROUTES: RouteDef<PageRoute>[] = [
  { path: '/', value: { component: HomePage } },
  { path: '/login', value: { component: LoginPage } },
  { path: '/register', value: { component: RegisterPage } },
  { path: '/sessions', value: { component: SessionsPage, auth: true } },
  { path: '/new', value: { component: CreatePage, auth: true } },
  { path: '/host/:id', value: { component: HostPage, auth: true, immersive: true } },
  { path: '/j/:code', value: { component: JoinPage, anonymous: true } },
  { path: '/s/:id', value: { component: ListenerPage, immersive: true, anonymous: true } },
  { path: '/admin/ops', value: { component: OpsDashboardPage, auth: true } },
  { path: '/invite/:token', value: { component: InviteAcceptPage } },
  { path: '/present/:id', value: { component: PresenterPage, immersive: true } },
  { path: '/account', value: { component: AccountPage, auth: true } },
  { path: '/admin', value: { component: AdminPage, auth: true } },
  { path: '/archive/:sessionId/report', value: { component: ReportPage, auth: true } },
  { path: '/archive', value: { component: ArchivePage, auth: true } },
  { path: '/archive/:sessionId', value: { component: PlaybackPage, auth: true } },
];
