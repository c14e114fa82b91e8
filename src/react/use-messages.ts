import { useMemo } from 'react';
import { useObjectStoreContext } from './context';
import { type Messages, mergeMessages } from './messages';

/** The provider's messages with a component's own overrides on top, and the locale. */
export function useMessages(overrides?: Partial<Messages>): {
  messages: Messages;
  locale: string | undefined;
} {
  const { messages, locale } = useObjectStoreContext();
  const merged = useMemo(
    () => (overrides ? mergeMessages(messages, overrides) : messages),
    [messages, overrides],
  );
  return { messages: merged, locale };
}
