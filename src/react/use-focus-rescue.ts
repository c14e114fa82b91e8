import {
  type FocusEvent,
  type FocusEventHandler,
  type RefObject,
  useEffect,
  useLayoutEffect,
  useRef,
} from 'react';

// useLayoutEffect warns during server rendering in React 18; nothing needs rescuing there.
const useIsomorphicLayoutEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect;

/**
 * Buttons come and go as a transfer changes state (Pause becomes Resume, Cancel becomes Retry).
 * When the focused one disappears, the browser drops focus to <body> and a keyboard user has to
 * start over from the top of the page: put focus back on the first button of `container`, or on
 * the container itself. `own` are the caller's handlers of the same events, which still run.
 */
export function useFocusRescue(
  container: RefObject<HTMLElement | null>,
  own: {
    onFocus?: FocusEventHandler<HTMLElement> | undefined;
    onBlur?: FocusEventHandler<HTMLElement> | undefined;
  } = {},
) {
  const lastFocused = useRef<HTMLElement | null>(null);

  useIsomorphicLayoutEffect(() => {
    const lost = lastFocused.current;
    if (!lost || lost.isConnected) return;
    lastFocused.current = null;
    const active = document.activeElement;
    if (active && active !== document.body) return;
    const root = container.current;
    const target = root?.querySelector<HTMLElement>('button:not([disabled])') ?? root;
    if (!target) return;
    if (target === root && !root.hasAttribute('tabindex')) root.setAttribute('tabindex', '-1');
    target.focus();
    lastFocused.current = target;
  });

  return {
    onFocus: (event: FocusEvent<HTMLElement>) => {
      lastFocused.current = event.target;
      own.onFocus?.(event);
    },
    onBlur: (event: FocusEvent<HTMLElement>) => {
      const next = event.relatedTarget as Node | null;
      // Focus moved elsewhere on purpose; a removed element blurs with no related target.
      if (next && !container.current?.contains(next)) lastFocused.current = null;
      own.onBlur?.(event);
    },
  };
}
