import { Loader } from '@mantine/core';

/** Placeholder until the feature lands. */
export function SearchPage() {
  return <Loader aria-label="SearchPage" />;
}
