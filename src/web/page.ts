import type { WebBundle } from './bundle.js';

/** The one HTML page of the UI: it loads the bundle, which renders every screen in the browser. */
export const pageHtml = (bundle: WebBundle): string => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="color-scheme" content="light" />
    <title>Tally</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="/assets/app.css?v=${bundle.css.hash}" />
    <script type="module" src="/assets/app.js?v=${bundle.js.hash}"></script>
  </head>
  <body>
    <div id="app"></div>
    <noscript>Tally needs JavaScript to show the billing board.</noscript>
  </body>
</html>
`;
