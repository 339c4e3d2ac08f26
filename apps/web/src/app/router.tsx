import { createRootRoute, createRoute, createRouter, Outlet, redirect } from '@tanstack/react-router';
import { AdminPage } from '../features/admin/admin-page.tsx';
import { AcceptInvitePage } from '../features/auth/accept-invite-page.tsx';
import { LoginPage } from '../features/auth/login-page.tsx';
import { SetupPage } from '../features/auth/setup-page.tsx';
import { CustomerPage } from '../features/customers/customer-page.tsx';
import { InboxPage } from '../features/inbox/inbox-page.tsx';
import { KbArticlePage } from '../features/kb/kb-article-page.tsx';
import { KbPage } from '../features/kb/kb-page.tsx';
import { ProfilePage } from '../features/profile/profile-page.tsx';
import { SearchPage } from '../features/search/search-page.tsx';
import { NewTicketPage } from '../features/ticket/new-ticket-page.tsx';
import { TicketPage } from '../features/ticket/ticket-page.tsx';
import { AppLayout } from './app-layout.tsx';

/** Code-based routes: every path of the agent app in one place. */
const rootRoute = createRootRoute({ component: () => <Outlet /> });

const setupRoute = createRoute({ getParentRoute: () => rootRoute, path: '/setup', component: SetupPage });
const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/login',
  component: LoginPage,
  validateSearch: (s: Record<string, unknown>): { next?: string } => ({ next: typeof s.next === 'string' ? s.next : undefined }),
});
const inviteRoute = createRoute({ getParentRoute: () => rootRoute, path: '/invite/$token', component: AcceptInvitePage });

const appRoute = createRoute({ getParentRoute: () => rootRoute, id: 'app', component: AppLayout });

export interface InboxSearch {
  view?: string;
  status?: string;
  priority?: string;
  channel?: string;
  language?: string;
  categoryId?: string;
  tag?: string;
  sort?: string;
  savedViewId?: string;
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

const inboxRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/',
  component: InboxPage,
  validateSearch: (s: Record<string, unknown>): InboxSearch => ({
    view: str(s.view),
    status: str(s.status),
    priority: str(s.priority),
    channel: str(s.channel),
    language: str(s.language),
    categoryId: str(s.categoryId),
    tag: str(s.tag),
    sort: str(s.sort),
    savedViewId: str(s.savedViewId),
  }),
});
const newTicketRoute = createRoute({ getParentRoute: () => appRoute, path: '/tickets/new', component: NewTicketPage });
const ticketRoute = createRoute({ getParentRoute: () => appRoute, path: '/tickets/$ticketId', component: TicketPage });
const searchRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/search',
  component: SearchPage,
  validateSearch: (s: Record<string, unknown>): { q?: string } => ({ q: str(s.q) }),
});
const customerRoute = createRoute({ getParentRoute: () => appRoute, path: '/customers/$customerId', component: CustomerPage });
const adminRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/admin',
  component: AdminPage,
  validateSearch: (s: Record<string, unknown>): { tab?: string } => ({ tab: str(s.tab) }),
});
const kbRoute = createRoute({ getParentRoute: () => appRoute, path: '/kb', component: KbPage });
const kbArticleRoute = createRoute({ getParentRoute: () => appRoute, path: '/kb/$articleId', component: KbArticlePage });
const profileRoute = createRoute({ getParentRoute: () => appRoute, path: '/profile', component: ProfilePage });
const anyRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '$',
  beforeLoad: () => {
    throw redirect({ to: '/' });
  },
});

const routeTree = rootRoute.addChildren([
  setupRoute,
  loginRoute,
  inviteRoute,
  appRoute.addChildren([inboxRoute, newTicketRoute, ticketRoute, searchRoute, customerRoute, adminRoute, profileRoute, kbRoute, kbArticleRoute]),
  anyRoute,
]);

export function buildRouter() {
  return createRouter({ routeTree, defaultPreload: 'intent' });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof buildRouter>;
  }
}
