import { Loader } from '@mantine/core';

/** Placeholder until the feature lands. */
export function ProfilePage() {
  return <Loader aria-label="ProfilePage" />;
}
