/**
 * The disguise's icon: a plain grid of squares, like a thousand note and calculator apps, nothing that says
 * protection. Shared by the page's <link rel="icon"> (src/web/serve.ts) and the top bar, as a data: URL so no
 * asset name tells either.
 */
export const NEUTRAL_ICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#5f6368"/><g fill="#fff"><rect x="7" y="7" width="7" height="7" rx="1"/><rect x="18" y="7" width="7" height="7" rx="1"/><rect x="7" y="18" width="7" height="7" rx="1"/><rect x="18" y="18" width="7" height="7" rx="1"/></g></svg>';

export const NEUTRAL_ICON_URL = `data:image/svg+xml,${encodeURIComponent(NEUTRAL_ICON_SVG)}`;
