/**
 * Every load error and unhandled page error ends up here and on the page (data-testid
 * "host-errors"), so a person sees it and a browser test fails on it. The inline script in
 * index.html collects errors raised before this bundle ran.
 */

type Listener = (errors: string[]) => void;

declare global {
  interface Window {
    __previewHostErrors?: string[];
  }
}

const errors: string[] = [...(window.__previewHostErrors ?? [])];
const listeners = new Set<Listener>();

export function reportHostError(context: string, error: unknown): void {
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  const text = `${context}: ${detail}`;
  errors.push(text);
  window.__previewHostErrors = errors;
  // eslint-disable-next-line no-console
  console.error(`[preview host] ${text}`);
  listeners.forEach((l) => l([...errors]));
}

export function subscribeHostErrors(listener: Listener): () => void {
  listeners.add(listener);
  listener([...errors]);
  return () => listeners.delete(listener);
}

/**
 * Chromium raises "ResizeObserver loop completed with undelivered notifications" as a page error
 * when an observer's callback resizes what it observes within one frame (a combobox opening beside
 * a panel that reflows). Nothing is lost: the notifications come in the next frame, and no code of
 * the plugin threw. Counting it failed a browser test at random, so the host leaves it out.
 */
const BENIGN_ERROR = /^ResizeObserver loop (completed with undelivered notifications|limit exceeded)/;

// Replace the early collectors with ones that feed the page.
window.__previewHostErrors = errors;
window.addEventListener('error', (e) => {
  if (BENIGN_ERROR.test(e.message ?? '')) {
    return;
  }
  reportHostError('Uncaught error', e.error ?? e.message);
});
window.addEventListener('unhandledrejection', (e) => reportHostError('Unhandled promise rejection', e.reason));
