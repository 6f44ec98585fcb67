import { useEffect, useRef, useState } from 'preact/hooks';

export interface ShownKey {
  vendorName: string;
  partnerKey: string;
  /** The GRADIENT-TOKEN recipe, as the API words it; a rotation sends none. */
  tokenRecipe?: string;
}

/** Where this server's vendor API and its documentation live, as the vendor must reach them. */
const baseUrl = (): string => location.origin;
const DOCS_PATH = '/api-docs';

/** Everything to hand the vendor, as one text to paste into an e-mail or a ticket. */
export function vendorInstructions(shown: ShownKey, origin: string): string {
  return [
    `Tally vendor API for ${shown.vendorName}`,
    '',
    `Base URL: ${origin}/api/vendor-api`,
    `Partner key: ${shown.partnerKey}`,
    'GRADIENT-TOKEN header: base64("<your vendor key>:<partner key>"), e.g.',
    `  printf '%s' "$VENDOR_KEY:${shown.partnerKey}" | base64`,
    `API documentation: ${origin}${DOCS_PATH}`,
    '',
    'This speaks the Synthesize vendor API: an existing integration only changes its base URL and token.',
  ].join('\n');
}

/** A partner key, shown once, with everything the vendor needs to start sending counts. */
export function KeyPanel({ shown, onDone }: { shown: ShownKey; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const [copiedAll, setCopiedAll] = useState(false);
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
  const instructions = vendorInstructions(shown, baseUrl());
  const copyAll = async () => {
    try {
      await navigator.clipboard.writeText(instructions);
      setCopiedAll(true);
    } catch {
      setCopiedAll(false);
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
      <dl class="handover">
        <div>
          <dt>Base URL</dt>
          <dd>
            <code data-testid="vendor-base-url">{baseUrl()}/api/vendor-api</code>
          </dd>
        </div>
        <div>
          <dt>API documentation</dt>
          <dd>
            <a href={DOCS_PATH} target="_blank" rel="noreferrer">
              {baseUrl()}
              {DOCS_PATH}
            </a>
          </dd>
        </div>
      </dl>
      <details class="instructions">
        <summary>Instructions for {shown.vendorName}</summary>
        <code class="instructions-text" data-testid="vendor-instructions">
          {instructions}
        </code>
      </details>
      <div class="key-actions">
        <button type="button" onClick={copyAll}>
          {copiedAll ? 'Instructions copied' : 'Copy instructions'}
        </button>
        <button type="button" class="primary" onClick={onDone}>
          I have stored the key
        </button>
      </div>
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
