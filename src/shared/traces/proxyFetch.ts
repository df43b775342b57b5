/**
 * GET calls to a trace store's own HTTP API through Grafana's datasource proxy
 * (`/api/datasources/proxy/uid/<uid>/<path>`), as public app code does in a real Grafana, with a
 * timeout and AbortSignal cancellation, and failures as TraceStoreError sentences.
 */
import { getBackendSrv, isFetchError } from '@grafana/runtime';
import type { Subscription } from 'rxjs';

import { TraceStoreError } from './types';

export const DEFAULT_TRACE_STORE_TIMEOUT_MS = 20_000;

export interface ProxyTarget {
  /** The trace datasource's uid. */
  uid: string;
  /** "Tempo" or "Jaeger", for messages. */
  storeName: string;
  timeoutMs?: number;
}

/** What a failed call was for: its 404 means `notFound` when given (an unknown trace id). */
export interface CallPurpose {
  what: string;
  notFound?: string;
}

export function proxyUrl(uid: string, path: string): string {
  return `/api/datasources/proxy/uid/${encodeURIComponent(uid)}${path}`;
}

/** GETs JSON from the store; rejects with TraceStoreError (never anything else). */
export async function proxyGet<T>(
  target: ProxyTarget,
  path: string,
  params: Record<string, string | number>,
  purpose: CallPurpose,
  signal?: AbortSignal
): Promise<T> {
  if (signal?.aborted) {
    throw new TraceStoreError('unreachable', `${purpose.what} was cancelled.`);
  }
  const timeoutMs = target.timeoutMs ?? DEFAULT_TRACE_STORE_TIMEOUT_MS;
  const url = proxyUrl(target.uid, path);
  const observable = getBackendSrv().fetch<T>({
    url,
    method: 'GET',
    params,
    showErrorAlert: false,
    showSuccessAlert: false,
  });
  return new Promise<T>((resolve, reject) => {
    // The observable may answer synchronously, before subscribe() returns a subscription.
    let subscription: Subscription | undefined;
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) {
        return;
      }
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      subscription?.unsubscribe();
      fn();
    };
    const onAbort = () => finish(() => reject(new TraceStoreError('unreachable', `${purpose.what} was cancelled.`)));
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new TraceStoreError(
              'unreachable',
              `${purpose.what}: the ${target.storeName} datasource "${target.uid}" did not answer within ${Math.round(
                timeoutMs / 1000
              )} s. Check that ${target.storeName} is running and that its URL in the datasource settings is right.`
            )
          )
        ),
      timeoutMs
    );
    signal?.addEventListener('abort', onAbort);
    subscription = observable.subscribe({
      next: (res) => finish(() => resolve(res.data)),
      error: (err: unknown) => finish(() => reject(toTraceStoreError(err, target, purpose))),
      complete: () =>
        finish(() => reject(new TraceStoreError('bad-answer', `${purpose.what}: ${target.storeName} sent no answer.`))),
    });
    if (settled) {
      subscription.unsubscribe();
    }
  });
}

/** The text a store or Grafana put in a failed answer's body. */
function bodyMessage(data: unknown): string {
  if (typeof data === 'string') {
    return data.trim();
  }
  if (data && typeof data === 'object') {
    const record = data as Record<string, unknown>;
    for (const key of ['message', 'error', 'errors']) {
      const v = record[key];
      if (typeof v === 'string' && v) {
        return v;
      }
      if (Array.isArray(v) && v.length > 0) {
        return v
          .map((e) => (e && typeof e === 'object' ? String((e as { msg?: unknown }).msg ?? '') : String(e)))
          .join('; ');
      }
    }
  }
  return '';
}

export function toTraceStoreError(err: unknown, target: ProxyTarget, purpose: CallPurpose): TraceStoreError {
  if (err instanceof TraceStoreError) {
    return err;
  }
  if (!isFetchError(err)) {
    return new TraceStoreError(
      'unreachable',
      `${purpose.what} failed: ${err instanceof Error ? err.message : String(err)}`
    );
  }
  const detail = bodyMessage(err.data);
  const said = detail ? ` (${target.storeName} said: ${detail})` : '';
  const ds = `the ${target.storeName} datasource "${target.uid}"`;
  switch (true) {
    case err.status === 404 && purpose.notFound !== undefined:
      return new TraceStoreError('not-found', purpose.notFound);
    case err.status === 400:
      return new TraceStoreError('bad-request', `${purpose.what}: ${target.storeName} refused the request${said}.`);
    case err.status === 401 || err.status === 403:
      return new TraceStoreError(
        'unreachable',
        `${purpose.what}: ${ds} refused access (HTTP ${err.status})${said}. Check the datasource's authentication settings and your permissions.`
      );
    case err.status === 0 || err.status === 502 || err.status === 503 || err.status === 504:
      return new TraceStoreError(
        'unreachable',
        `${purpose.what}: ${target.storeName} could not be reached through ${ds} (HTTP ${err.status || 'network error'})${said}. Check that ${target.storeName} is running and that the datasource URL is right.`
      );
    case err.status === 404:
      return new TraceStoreError(
        'unreachable',
        `${purpose.what}: ${ds} answered 404${said}. Check that the datasource exists and its URL points at ${target.storeName}'s HTTP API.`
      );
    default:
      return new TraceStoreError(
        'bad-answer',
        `${purpose.what}: ${target.storeName} answered HTTP ${err.status}${said}. Check ${target.storeName}'s logs.`
      );
  }
}
