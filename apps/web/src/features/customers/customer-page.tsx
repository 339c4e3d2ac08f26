import { Loader } from '@mantine/core';

/** Placeholder until the feature lands. */
export function CustomerPage() {
  return <Loader aria-label="CustomerPage" />;
}
