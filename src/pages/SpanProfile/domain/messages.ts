/**
 * What the page says when it has nothing to draw, each naming what to check. An empty profile is
 * explained by its likely causes; each failure (unknown trace, trace store or Parca unreachable) has
 * its own sentence, because each is fixed in a different place.
 */
import type { TraceStoreErrorKind } from '../../../shared/traces/types';
import { formatMs } from './sampling';

export interface NoSamplesFacts {
  durationMs?: number;
  hz?: number;
  service?: string;
  serviceLabel: string;
  /** Whether the query looked for trace/span labels (then unlabelled work is a likely cause). */
  labelled: boolean;
}

/** Likely reasons a profile came back empty, most likely first. */
export function noSamplesReasons(f: NoSamplesFacts): string[] {
  const reasons: string[] = [];
  if (f.hz !== undefined && f.durationMs !== undefined && f.durationMs < 1000 / f.hz) {
    reasons.push(
      `The span lasted ${formatMs(f.durationMs)}, shorter than the sampling period (${formatMs(1000 / f.hz)} at ${f.hz} Hz): it most likely ran between two samples.`
    );
  }
  if (f.labelled) {
    reasons.push(
      'Its work may have been handed to a worker (a goroutine pool, a channel, an async runtime) that does not carry the trace_id and span_id labels: check the trace-link coverage of the service.'
    );
  }
  const who = f.service ? `${f.serviceLabel}="${f.service}"` : 'this service';
  reasons.push(
    `No profiler may run on the host of ${f.service ?? 'this service'}: check that Parca holds profiles of ${who} around this time (the flame graph page over a wider range).`
  );
  return reasons;
}

export function noSamplesTitle(labelled: boolean): string {
  return labelled ? 'No CPU samples carry this span' : 'No CPU samples in this window';
}

/** The sentence for a trace store failure. */
export function traceStoreProblem(kind: TraceStoreErrorKind, traceId: string, detail?: string): string {
  const why = detail ? ` (${detail})` : '';
  switch (kind) {
    case 'not-found':
      return `Trace ${traceId} is not in the trace store. Check the trace id, that it was sent to this store, and that it is still within the store's retention.`;
    case 'unreachable':
      return `The trace store did not answer${why}. Check the trace datasource chosen in the app's settings: Connections > Data sources > (Tempo or Jaeger) > Save & test.`;
    case 'not-configured':
      return "No trace datasource is set in the app's settings: pick a Tempo or Jaeger datasource on the app's configuration page. Until then the page knows only what the link says.";
    case 'bad-request':
      return `The trace store refused the request${why}. Check the trace id in the link.`;
    case 'bad-answer':
      return `The trace store answered with something that is not a trace${why}. Check that the trace datasource points at Tempo's or Jaeger's query API.`;
  }
}

/** The sentence for a failed Parca query (the backend's own message already says what went wrong). */
export function parcaProblem(message: string | undefined, datasourceUid: string): string {
  const detail = (message ?? '').trim() || 'no answer';
  return `Parca could not be queried: ${detail}. Check the Spanflame Parca datasource "${datasourceUid}": Connections > Data sources > Save & test.`;
}

/** Reads a TraceStoreError kind out of a query error's message (the runtime datasource forwards it). */
export function traceStoreErrorKind(error: { message?: string; status?: number } | undefined): TraceStoreErrorKind {
  const text = error?.message ?? '';
  const tagged = /\b(not-found|unreachable|bad-answer|bad-request|not-configured)\b/.exec(text)?.[1];
  if (tagged) {
    return tagged as TraceStoreErrorKind;
  }
  if (error?.status === 404 || /not found/i.test(text)) {
    return 'not-found';
  }
  if (error?.status === 400) {
    return 'bad-request';
  }
  return 'unreachable';
}
