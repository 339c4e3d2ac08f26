import { Loader } from '@mantine/core';

/** Placeholder until the feature lands. */
export function SetupPage() {
  return <Loader aria-label="SetupPage" />;
}
