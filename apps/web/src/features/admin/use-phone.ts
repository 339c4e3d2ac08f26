import { useMediaQuery } from '@mantine/hooks';

/** True on a phone-width screen, where dialogs take the whole screen. */
export function usePhone(): boolean {
  return useMediaQuery('(max-width: 36em)') ?? false;
}
