import { useEffect, useRef, useState } from 'preact/hooks';

export interface ShownKey {
  vendorName: string;
  partnerKey: string;
  /** The GRADIENT-TOKEN recipe, as the API words it; a rotation sends none. */
  tokenRecipe?: string;
}

/** A partner key, shown once, with how the vendor turns it into its GRADIENT-TOKEN. */
export function KeyPanel({ shown, onDone }: { shown: ShownKey; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  // The panel opens above the lists: move focus there so keyboard and screen reader users find the key.
  useEffect(() => heading.current?.focus(), [shown.partnerKey]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(shown.partnerKey);
      setCopied(true);
    } catch {
      // Clipboard access needs a secure context; the key stays selectable by hand.
      setCopied(false);
    }
  };
  return (
    <section class="panel key-panel" role="region" aria-labelledby="key-title">
      <h2 id="key-title" ref={heading} tabIndex={-1}>
        Partner key for {shown.vendorName}
      </h2>
      <p>
        <strong>Copy it now: it is shown only once.</strong> Give it to {shown.vendorName}; they send it with
        every request.
      </p>
      <div class="key-row">
        <code class="key" data-testid="partner-key">
          {shown.partnerKey}
        </code>
        <button type="button" onClick={copy}>
          {copied ? 'Copied' : 'Copy key'}
        </button>
      </div>
      {shown.tokenRecipe !== undefined ? (
        <Recipe recipe={shown.tokenRecipe} />
      ) : (
        <p class="muted">
          The old key has stopped working; the vendor rebuilds its GRADIENT-TOKEN with this one.
        </p>
      )}
      <button type="button" class="primary" onClick={onDone}>
        I have stored the key
      </button>
    </section>
  );
}

function Recipe({ recipe }: { recipe: string }) {
  return (
    <div class="recipe">
      <h3>GRADIENT-TOKEN</h3>
      <pre>{recipe}</pre>
    </div>
  );
}
