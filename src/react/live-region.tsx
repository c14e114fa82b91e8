/** A polite live region: always in the DOM, so screen readers announce changes of its text. */
export function LiveRegion({ message, className }: { message: string; className?: string }) {
  return (
    <div role="status" aria-live="polite" aria-atomic="true" className={className ?? 'od-visually-hidden'}>
      {message}
    </div>
  );
}
