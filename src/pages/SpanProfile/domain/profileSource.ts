/**
 * Which profile the page shows, in the order the product promises, and the sentence that says so:
 * first the samples labelled with the span's ids; when none carry them, the service's samples in the
 * span's exact window, with how many other requests of the service overlapped it.
 */
import type { SpanView } from '../../../shared/appUrls';
import { formatMs } from './sampling';

export type ProfileSourceKind = 'labelled' | 'window' | 'none';

export interface ProfileSourceChoice {
  kind: ProfileSourceKind;
  /** What the flame graph is, and why this one. */
  sentence: string;
  /** For the window fallback: other requests of the service that overlapped the window (undefined while unknown). */
  overlapping?: number;
}

export interface SourceInputs {
  view: SpanView;
  /** Total of the view's labelled query (0 for an empty answer); undefined while it runs. */
  labelledTotal?: number;
  /** Total of the window query, when it ran. */
  windowTotal?: number;
  /** Whether a window fallback is possible (the view has one, and the service and window are known). */
  canFallBack: boolean;
  service?: string;
  /** Length of the window Parca is asked for (the span's, from one collection window before it). */
  windowMs?: number;
  /** Length of the span's own window. */
  spanMs?: number;
  overlapping?: number;
  /** Number of the route's requests merged (route view). */
  routeRequests?: number;
}

const LABELLED_SENTENCES: Record<SpanView, string> = {
  span: "CPU samples labelled with this span's span_id: the CPU this span itself used.",
  subtree:
    "CPU samples labelled with this trace's trace_id inside the span's window, in every service: the span and what it called.",
  trace: "CPU samples labelled with this trace's trace_id over the whole trace, one branch per service.",
  route: 'CPU samples of the same route',
};

export function chooseProfileSource(i: SourceInputs): ProfileSourceChoice {
  if (i.labelledTotal === undefined || i.labelledTotal > 0) {
    const sentence =
      i.view === 'route'
        ? `${LABELLED_SENTENCES.route}: ${i.routeRequests ?? 'its'} request${i.routeRequests === 1 ? '' : 's'} of ${
            i.service ?? 'the service'
          } over the time range, merged.`
        : LABELLED_SENTENCES[i.view];
    return { kind: 'labelled', sentence };
  }
  if (i.canFallBack && (i.windowTotal === undefined || i.windowTotal > 0)) {
    return { kind: 'window', sentence: windowSentence(i), overlapping: i.overlapping };
  }
  return {
    kind: 'none',
    sentence: i.canFallBack
      ? `No CPU samples carry this span's labels, and ${i.service} has none in the span's window either.`
      : 'No CPU samples carry these labels.',
  };
}

function windowSentence(i: SourceInputs): string {
  const window =
    i.windowMs !== undefined && i.spanMs !== undefined && i.windowMs > i.spanMs
      ? ` (${formatMs(i.windowMs)}, from ${formatMs(i.windowMs - i.spanMs)} before the span: Parca stamps a profile with the start of its collection window)`
      : i.windowMs !== undefined
        ? ` (${formatMs(i.windowMs)})`
        : '';
  const head =
    `No CPU samples carry this span's trace_id or span_id, so this is all of ${i.service}'s CPU in the profiles that cover the span's window${window}: ` +
    'it includes the work of every request the service was serving at the time.';
  if (i.overlapping === undefined) {
    return `${head} Counting the other requests that overlapped it…`;
  }
  if (i.overlapping === 0) {
    return `${head} No other request of ${i.service} overlapped it, so the CPU is most likely this span's.`;
  }
  return `${head} ${i.overlapping} other request${i.overlapping === 1 ? '' : 's'} of ${i.service} overlapped it, so part of this CPU is theirs.`;
}
