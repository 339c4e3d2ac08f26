import { createRootRoute, createRoute, createRouter, Outlet, redirect } from '@tanstack/react-router';
import { AdminPage } from '../features/admin/admin-page.tsx';
import { AcceptInvitePage } from '../features/auth/accept-invite-page.tsx';
import { LoginPage } from '../features/auth/login-page.tsx';
import { SetupPage } from '../features/auth/setup-page.tsx';
import { CustomerPage } from '../features/customers/customer-page.tsx';
import { InboxPage } from '../features/inbox/inbox-page.tsx';
import { InsightsPage } from '../features/insights/insights-page.tsx';
import { InsightsSettingsPage } from '../features/insights/insights-settings-page.tsx';
import { KbArticlePage } from '../features/kb/kb-article-page.tsx';
import { KbPage } from '../features/kb/kb-page.tsx';
import { ChannelsPage } from '../features/channels/channels-page.tsx';
import { ChatsPage } from '../features/chat/chats-page.tsx';
import { CallbacksPage } from '../features/callbacks/callbacks-page.tsx';
import { ActionPlansPage, type ActionPlansSearch } from '../features/improve/action-plans-page.tsx';
import { MacrosPage } from '../features/macros/macros-page.tsx';
import { FollowingUpPage } from '../features/routing/following-up-page.tsx';
import { PlaybooksPage } from '../features/improve/playbooks-page.tsx';
import { PracticePage } from '../features/improve/practice-page.tsx';
import { RecognitionPage } from '../features/improve/recognition-page.tsx';
import { ProfilePage } from '../features/profile/profile-page.tsx';
import { QualityPage } from '../features/quality/quality-page.tsx';
import { ReviewPage } from '../features/quality/review-page.tsx';
import { SearchPage } from '../features/search/search-page.tsx';
import { RatingFollowupsPage } from '../features/surveys/rating-followups-page.tsx';
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
const actionPlansRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/improve/action-plans',
  component: ActionPlansPage,
  // TanStack parses `new=1` as the number 1
  validateSearch: (s: Record<string, unknown>): ActionPlansSearch => ({
    new: str(typeof s.new === 'number' ? String(s.new) : s.new),
    categoryId: str(s.categoryId),
    tag: str(s.tag),
    note: str(s.note),
    plan: str(s.plan),
  }),
});
const playbooksRoute = createRoute({ getParentRoute: () => appRoute, path: '/improve/playbooks', component: PlaybooksPage });
const practiceRoute = createRoute({ getParentRoute: () => appRoute, path: '/improve/practice', component: PracticePage });
const recognitionRoute = createRoute({ getParentRoute: () => appRoute, path: '/recognition', component: RecognitionPage });
const channelsRoute = createRoute({ getParentRoute: () => appRoute, path: '/channels', component: ChannelsPage });
const insightsRoute = createRoute({ getParentRoute: () => appRoute, path: '/insights', component: InsightsPage });
const insightsSettingsRoute = createRoute({ getParentRoute: () => appRoute, path: '/insights/settings', component: InsightsSettingsPage });
const ratingFollowupsRoute = createRoute({ getParentRoute: () => appRoute, path: '/rating-followups', component: RatingFollowupsPage });
const qualityRoute = createRoute({ getParentRoute: () => appRoute, path: '/quality', component: QualityPage });
const qualityReviewRoute = createRoute({ getParentRoute: () => appRoute, path: '/quality/review/$ticketId', component: ReviewPage });
const followingUpRoute = createRoute({ getParentRoute: () => appRoute, path: '/following-up', component: FollowingUpPage });
const macrosRoute = createRoute({ getParentRoute: () => appRoute, path: '/macros', component: MacrosPage });
const chatsRoute = createRoute({ getParentRoute: () => appRoute, path: '/chats', component: ChatsPage });
const callbacksRoute = createRoute({ getParentRoute: () => appRoute, path: '/callbacks', component: CallbacksPage });
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
  appRoute.addChildren([inboxRoute, newTicketRoute, ticketRoute, searchRoute, customerRoute, adminRoute, profileRoute, kbRoute, kbArticleRoute, actionPlansRoute, playbooksRoute, practiceRoute, recognitionRoute, channelsRoute, insightsRoute, macrosRoute, followingUpRoute, chatsRoute, callbacksRoute, qualityRoute, qualityReviewRoute, insightsSettingsRoute, ratingFollowupsRoute]),
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
