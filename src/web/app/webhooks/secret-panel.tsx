import { useEffect, useRef } from 'preact/hooks';

export interface ShownSecret {
  url: string;
  secret: string;
  /** After a rotation: until when the previous secret still signs. */
  previousValidUntil?: string;
}

/** A signing secret, shown once, with what to do with it. */
export function SecretPanel({ shown, onDone }: { shown: ShownSecret; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [shown.secret]);
  return (
    <section class="panel key-panel" role="region" aria-labelledby="secret-title">
      <h2 id="secret-title" ref={heading} tabIndex={-1}>
        Signing secret for {shown.url}
      </h2>
      <p>
        <strong>Copy it now: it is shown only once.</strong> Your receiver verifies each delivery's
        webhook-signature with it (Standard Webhooks).
      </p>
      <code class="key" data-testid="webhook-secret">
        {shown.secret}
      </code>
      {shown.previousValidUntil && (
        <p class="muted">
          The previous secret keeps signing beside this one until {shown.previousValidUntil}.
        </p>
      )}
      <button type="button" class="primary" onClick={onDone}>
        I have stored the secret
      </button>
    </section>
  );
}
