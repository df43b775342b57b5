import { catchError, concat, from, map, type Observable, of, switchMap } from 'rxjs';

import { errorMessage } from '../../datasource/errorMessage';

/** An answer to a lookup: a value (from this session's cache, or fresh from the server) or what failed. */
export type LookupAnswer<T> = { value: T; fresh: boolean; error?: undefined } | { error: string; value?: undefined };

const KEY_PREFIX = 'spanflame:lookup:';
const memory = new Map<string, unknown>();

/**
 * Lists (profile types, services) kept for the browser session: in memory, and in sessionStorage
 * so a reload or a new page of the app shows them at once. Small JSON only.
 */
export function readSessionCache<T>(key: string): T | undefined {
  if (memory.has(key)) {
    return memory.get(key) as T;
  }
  try {
    const raw = window.sessionStorage.getItem(KEY_PREFIX + key);
    return raw === null ? undefined : (JSON.parse(raw) as T);
  } catch {
    return undefined;
  }
}

export function writeSessionCache<T>(key: string, value: T): void {
  memory.set(key, value);
  try {
    window.sessionStorage.setItem(KEY_PREFIX + key, JSON.stringify(value));
  } catch {
    // Storage full or refused (private windows): the in-memory copy serves this page.
  }
}

/** Forgets every cached list (tests; a datasource whose settings changed). */
export function clearSessionCache(): void {
  memory.clear();
  try {
    for (const key of Object.keys(window.sessionStorage)) {
      if (key.startsWith(KEY_PREFIX)) {
        window.sessionStorage.removeItem(key);
      }
    }
  } catch {
    // nothing stored
  }
}

/**
 * Answers a stream of questions: what this session already knows at once, then the server's fresh
 * answer (which replaces it in the cache). A new question drops the answer to the previous one.
 */
export function sessionLookup<Q, T>(
  questions: Observable<Q>,
  keyOf: (question: Q) => string,
  load: (question: Q) => Promise<T>,
  /** Whether an answer is worth keeping: an empty list of one empty range should not hide the session's. */
  worthKeeping: (value: T) => boolean = () => true
): Observable<{ question: Q; answer: LookupAnswer<T> }> {
  return questions.pipe(
    switchMap((question) => {
      const key = keyOf(question);
      const cached = readSessionCache<T>(key);
      const fresh = from(load(question)).pipe(
        map((value) => {
          if (worthKeeping(value)) {
            writeSessionCache(key, value);
          }
          return { question, answer: { value, fresh: true } as LookupAnswer<T> };
        }),
        catchError((err: unknown) => of({ question, answer: { error: errorMessage(err) } as LookupAnswer<T> }))
      );
      return cached === undefined ? fresh : concat(of({ question, answer: { value: cached, fresh: false } }), fresh);
    })
  );
}
