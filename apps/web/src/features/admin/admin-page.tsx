import { Loader } from '@mantine/core';

/** Placeholder until the feature lands. */
export function AdminPage() {
  return <Loader aria-label="AdminPage" />;
}
