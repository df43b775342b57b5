import type { TimeRange } from '@grafana/data';

import type { ProfileTypeInfo } from '../../datasource/types';
import { openParcaLookups } from './parcaLookups';
import { readSessionCache, writeSessionCache } from './sessionLookup';

/** Lists Parca's profile types around a time range. Pages take one, so that tests can give their own. */
export type ProfileTypeLookup = (uid: string, range: TimeRange) => Promise<ProfileTypeInfo[]>;

/** The session cache key of a datasource's profile types (the flame graph page uses the same). */
export const profileTypesKey = (uid: string) => `${uid}|profile-types`;

/**
 * Profile types for pages that need one before their first query (span, service): what this session
 * already knows, at once, while a fresh list refreshes the cache behind it; the server's list when
 * nothing is known yet. Asking Parca first on every span opened cost seconds (over 30 s on a Parca
 * holding many trace-labelled series), before the profile query could even start.
 */
export async function profileTypesForSession(
  uid: string,
  range: TimeRange,
  load: (range: TimeRange) => Promise<ProfileTypeInfo[]>
): Promise<ProfileTypeInfo[]> {
  const key = profileTypesKey(uid);
  const cached = readSessionCache<ProfileTypeInfo[]>(key);
  const fresh = load(range).then((types) => {
    if (types.length > 0) {
      writeSessionCache(key, types);
    }
    return types;
  });
  if (cached && cached.length > 0) {
    fresh.catch(() => undefined); // the cached list serves; a failed refresh changes nothing
    return cached;
  }
  return fresh;
}

/**
 * The pages' profile-type lookup (span, trace): through the datasource class (its backend resource, never a
 * rebuilt URL), what this session knows at once.
 */
export const sessionProfileTypeLookup: ProfileTypeLookup = async (uid, range) => {
  const lookups = await openParcaLookups(uid);
  return profileTypesForSession(uid, range, (r) => lookups.getProfileTypes(r));
};
