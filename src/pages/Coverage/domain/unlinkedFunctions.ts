import type { CoverageFunction } from '../../../panels/coverage/domain/readCoverage';
import { isServingFramework, isStandardLibrary } from './whereToLook';

/** One function of the service's unlinked samples, as the "work outside requests" reason lists it. */
export interface UnlinkedFunction {
  /** The full name, as in a pprof profile. */
  name: string;
  file?: string;
  /** Its total value in the unlinked samples. */
  unlinked: number;
  /** Its total value in the linked samples; undefined when the answer did not say. */
  linked?: number;
  /** Percent of the function's own value that is unlinked; undefined when `linked` is. */
  ownShare?: number;
  /** Percent of the service's unlinked value that runs under it; undefined without the total. */
  ofUnlinked?: number;
  /** What ranks it: its unlinked value weighted by its own unlinked share (see rankUnlinkedFunctions). */
  explains: number;
}

/**
 * A closure's enclosing function: `pkg.F.func1.2` -> `pkg.F`, `pkg.(*T).M.gowrap1` -> `pkg.(*T).M`.
 * Go names anonymous functions after the function they are written in.
 */
export function enclosingFunction(name: string): string | undefined {
  const match = /^(.+?)((?:\.(?:func|gowrap)\d+)(?:\.\d+)*)$/.exec(name);
  return match ? match[1] : undefined;
}

/**
 * The functions that say where the service's CPU without a trace link comes from, most telling
 * first. Each is ranked by its unlinked value weighted by the share of its own value that is
 * unlinked (unlinked² / (unlinked + linked)): work that only ever runs outside requests (a worker
 * pool's job, a background job) keeps its whole value however briefly it ran, while code that
 * mostly runs for requests (a shared helper, the route's own functions) is there because a caller
 * left the labels behind. Ranked by unlinked value alone, the serving stack and the runtime filled
 * the list and a background job that ran for a minute fell below the cut.
 *
 * Left out, as frames that never say why: Go's standard library and runtime, the request-serving
 * frameworks' wrappers, and a closure whose enclosing function is listed (its value is part of it).
 * Without linked totals (an older backend) every function counts as wholly unlinked, which ranks
 * by unlinked value as before.
 */
export function rankUnlinkedFunctions(functions: CoverageFunction[], unlinkedTotal?: number): UnlinkedFunction[] {
  const own = functions.filter((f) => f.cumulative > 0 && !isStandardLibrary(f.name) && !isServingFramework(f.name));
  const names = new Set(own.map((f) => f.name));
  return own
    .filter((f) => {
      const enclosing = enclosingFunction(f.name);
      return !enclosing || !names.has(enclosing);
    })
    .map((f): UnlinkedFunction => {
      const known = f.linked !== undefined;
      const ownShare = known ? (100 * f.cumulative) / (f.cumulative + (f.linked ?? 0)) : undefined;
      return {
        name: f.name,
        file: f.file || undefined,
        unlinked: f.cumulative,
        linked: f.linked,
        ownShare,
        ofUnlinked: unlinkedTotal ? Math.min(100, (100 * f.cumulative) / unlinkedTotal) : undefined,
        explains: (f.cumulative * (ownShare ?? 100)) / 100,
      };
    })
    .sort((a, b) => b.explains - a.explains || b.unlinked - a.unlinked || a.name.localeCompare(b.name));
}
