import { Loader } from '@mantine/core';

/** Placeholder until the feature lands. */
export function NewTicketPage() {
  return <Loader aria-label="NewTicketPage" />;
}
