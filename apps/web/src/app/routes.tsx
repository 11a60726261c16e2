import { lazy, type ComponentType } from 'react';
import type { Params, RouteDef } from './router-core';

// Every page is its own chunk: a listener's phone loads the shell, the join page and the
// listener page — never the speaker's, ops or admin code, the charts or the form schemas.
const HomePage = lazy(() => import('../features/home/HomePage').then((m) => ({ default: m.HomePage })));
const LoginPage = lazy(() => import('../features/auth/AuthPages').then((m) => ({ default: m.LoginPage })));
const RegisterPage = lazy(() =>
  import('../features/auth/AuthPages').then((m) => ({ default: m.RegisterPage })),
);
const JoinPage = lazy(() => import('../features/join/JoinPage').then((m) => ({ default: m.JoinPage })));
const HostPage = lazy(() => import('../features/speaker/HostPage').then((m) => ({ default: m.HostPage })));
const ListenerPage = lazy(() =>
  import('../features/listener/ListenerPage').then((m) => ({ default: m.ListenerPage })),
);
const CreatePage = lazy(() =>
  import('../features/create/CreatePage').then((m) => ({ default: m.CreatePage })),
);
const OpsDashboardPage = lazy(() =>
  import('../features/ops/OpsDashboardPage').then((m) => ({ default: m.OpsDashboardPage })),
);
const SessionsPage = lazy(() =>
  import('../features/sessions/SessionsPage').then((m) => ({ default: m.SessionsPage })),
);

// Accounts, invitations and administration (features/account, invite, admin).
const InviteAcceptPage = lazy(() =>
  import('../features/invite/InviteAcceptPage').then((m) => ({ default: m.InviteAcceptPage })),
);
const PresenterPage = lazy(() =>
  import('../features/invite/PresenterPage').then((m) => ({ default: m.PresenterPage })),
);
const AccountPage = lazy(() =>
  import('../features/account/AccountPage').then((m) => ({ default: m.AccountPage })),
);
const ReportPage = lazy(() =>
  import('../features/report/ReportPage').then((m) => ({ default: m.ReportPage })),
);
// Recording, archive and synchronised playback (features/archive, playback).
const ArchivePage = lazy(() =>
  import('../features/archive/ArchivePage').then((m) => ({ default: m.ArchivePage })),
);
const PlaybackPage = lazy(() =>
  import('../features/playback/PlaybackPage').then((m) => ({ default: m.PlaybackPage })),
);
const AdminPage = lazy(() => import('../features/admin/AdminPage').then((m) => ({ default: m.AdminPage })));

export interface PageRoute {
  component: ComponentType<{ params: Params }>;
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
