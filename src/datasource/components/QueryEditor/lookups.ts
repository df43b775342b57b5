import { useEffect, useState } from 'react';
import type { TimeRange } from '@grafana/data';

import type { ParcaLookups } from '../../parcaLookups';
import { errorMessage } from '../../errorMessage';
import type { ProfileTypeInfo } from '../../types';

/** The state of one lookup against the backend: what came back, or the sentence that says why not. */
export interface Lookup<T> {
  value: T;
  loading: boolean;
  error?: string;
}

/** Minutes are enough: autocomplete should not re-ask Parca on every render of a moving "now". */
function rangeKey(range?: TimeRange): string {
  if (!range) {
    return '';
  }
  const minute = 60_000;
  return `${Math.floor(range.from.valueOf() / minute)}-${Math.floor(range.to.valueOf() / minute)}`;
}

/**
 * Runs `load` whenever `key` changes. The answer is kept with the key it was asked for, so a stale
 * answer is shown as loading rather than as the answer to the new question.
 */
function useLookup<T>(initial: T, load: (() => Promise<T>) | undefined, key: string): Lookup<T> {
  const [answer, setAnswer] = useState<{ key: string; value: T; error?: string }>();
  useEffect(() => {
    if (!load) {
      return;
    }
    let current = true;
    load().then(
      (value) => current && setAnswer({ key, value }),
      (err: unknown) => current && setAnswer({ key, value: initial, error: errorMessage(err) })
    );
    return () => {
      current = false;
    };
    // `key` names everything `load` depends on.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  if (!load) {
    return { value: initial, loading: false };
  }
  if (answer?.key !== key) {
    return { value: answer?.value ?? initial, loading: true };
  }
  return { value: answer.value, loading: false, error: answer.error };
}

const NO_TYPES: ProfileTypeInfo[] = [];
const NO_NAMES: string[] = [];

/** Profile types Parca holds in the time range. */
export function useProfileTypes(datasource: ParcaLookups, range?: TimeRange): Lookup<ProfileTypeInfo[]> {
  return useLookup(NO_TYPES, () => datasource.getProfileTypes(range), `${datasource.uid}|${rangeKey(range)}`);
}

/** Label names of the profile type in the time range (none until a type is chosen). */
export function useLabelNames(
  datasource: ParcaLookups,
  profileType: string | undefined,
  range?: TimeRange
): Lookup<string[]> {
  const load = profileType
    ? () => datasource.getLabelNames({ profileType, range }).then((names) => names.filter((n) => !n.startsWith('__')))
    : undefined;
  return useLookup(NO_NAMES, load, `${datasource.uid}|${profileType}|${rangeKey(range)}`);
}
