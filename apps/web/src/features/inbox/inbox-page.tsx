import { Loader } from '@mantine/core';

/** Placeholder until the feature lands. */
export function InboxPage() {
  return <Loader aria-label="InboxPage" />;
}
