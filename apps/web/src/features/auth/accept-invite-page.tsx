import { Loader } from '@mantine/core';

/** Placeholder until the feature lands. */
export function AcceptInvitePage() {
  return <Loader aria-label="AcceptInvitePage" />;
}
