import type { AcceptInvitationBody, LoginBody, SetupBody, SetupStatus } from '@seva/contracts';
import { api } from '../../lib/api.ts';
import type { Session } from '../../lib/session.tsx';

/** The first-run and sign-in calls (docs/api.md "Auth and first run"). */
export const SETUP_STATUS_KEY = ['setup-status'] as const;

export const authApi = {
  setupStatus: () => api.get<SetupStatus>('/setup/status'),
  setup: (body: SetupBody) => api.post<Session>('/setup', body),
  login: (body: LoginBody) => api.post<Session>('/auth/login', body),
  acceptInvitation: (body: AcceptInvitationBody) => api.post<Session>('/auth/invitations/accept', body),
};
