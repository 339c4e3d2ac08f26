import { Loader } from '@mantine/core';

/** Placeholder until the feature lands. */
export function TicketPage() {
  return <Loader aria-label="TicketPage" />;
}
