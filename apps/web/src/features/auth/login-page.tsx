import { Loader } from '@mantine/core';

/** Placeholder until the feature lands. */
export function LoginPage() {
  return <Loader aria-label="LoginPage" />;
}
