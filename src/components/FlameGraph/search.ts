import { type ProfileTree } from './profileTree';

/** What a search matched, over the whole profile (not only the drawn frames). */
export interface SearchResult {
  /** 1 at a name id that matches. Frames are highlighted by looking up their name id here. */
  matchesName: Uint8Array;
  /** Number of distinct function names that match. */
  matchedFunctions: number;
  /** Number of nodes that match. */
  matchedNodes: number;
  /** Samples under matching frames, each sample counted once even when matches nest (recursion). */
  matchedTotal: number;
  /** matchedTotal / root total, 0..1. */
  matchedShare: number;
  /** Why the /pattern/ typed is not a regular expression (it was then matched as text). */
  invalidRegex?: string;
}

/** The query as a regular expression when written as /pattern/, or why that pattern is invalid. */
function parseRegex(query: string): { regex?: RegExp; error?: string } {
  const pattern = /^\/(.+)\/$/.exec(query.trim());
  if (!pattern) {
    return {};
  }
  try {
    return { regex: new RegExp(pattern[1], 'i') };
  } catch (err) {
    // "Invalid regular expression: /(/i: Unterminated group" says the pattern twice; keep the reason.
    const message = err instanceof Error ? err.message : String(err);
    return { error: message.replace(/^Invalid regular expression: \/.*\/\w*: /, '') };
  }
}

/**
 * A matcher for the search box, called with lower-cased names: plain text matches case-insensitively
 * as a substring; text written as /pattern/ is a regular expression (flags "i"). An invalid pattern
 * falls back to plain text, so typing never throws (searchProfile says it is invalid).
 */
export function makeMatcher(query: string): (lowerCaseName: string) => boolean {
  const { regex } = parseRegex(query);
  if (regex) {
    return (name) => regex.test(name);
  }
  const needle = query.trim().toLowerCase();
  // Names arrive lower-cased (see matchNames), so typing does not lower-case every name per keystroke.
  return (lowerCaseName) => lowerCaseName.includes(needle);
}

/** Lower-cased names, once per profile; both matchers are case-insensitive. */
const lowerCaseNames = new WeakMap<string[], string[]>();

/** Marks the name ids that satisfy `matches`: the matcher runs once per distinct name, not per node. */
export function matchNames(tree: ProfileTree, matches: (lowerCaseName: string) => boolean): Uint8Array {
  let names = lowerCaseNames.get(tree.names);
  if (!names) {
    names = tree.names.map((name) => name.toLowerCase());
    lowerCaseNames.set(tree.names, names);
  }
  const matchesName = new Uint8Array(names.length);
  for (let id = 0; id < names.length; id++) {
    matchesName[id] = matches(names[id]) ? 1 : 0;
  }
  return matchesName;
}

/** Totals for a set of matching names in two linear passes over typed arrays. */
export function summarizeMatches(tree: ProfileTree, matchesName: Uint8Array): SearchResult {
  const { nameId, total, subtreeEnd, count } = tree;
  let matchedNodes = 0;
  for (let i = 0; i < count; i++) {
    matchedNodes += matchesName[nameId[i]];
  }
  let matchedTotal = 0;
  // A matching node's subtree is skipped once counted, so nested matches do not count twice.
  for (let i = 0; i < count;) {
    if (matchesName[nameId[i]]) {
      matchedTotal += total[i];
      i = subtreeEnd[i];
    } else {
      i++;
    }
  }
  let matchedFunctions = 0;
  for (let id = 0; id < matchesName.length; id++) {
    matchedFunctions += matchesName[id];
  }
  const rootTotal = count > 0 ? total[0] : 0;
  return {
    matchesName,
    matchedFunctions,
    matchedNodes,
    matchedTotal,
    matchedShare: rootTotal > 0 ? matchedTotal / rootTotal : 0,
  };
}

export function searchProfile(tree: ProfileTree, query: string): SearchResult | undefined {
  if (!query.trim()) {
    return undefined;
  }
  const result = summarizeMatches(tree, matchNames(tree, makeMatcher(query)));
  const invalidRegex = parseRegex(query).error;
  return invalidRegex ? { ...result, invalidRegex } : result;
}

/** Highlight one function (a row of the functions table) exactly by its name id. */
export function selectFunction(tree: ProfileTree, id: number): SearchResult {
  const matchesName = new Uint8Array(tree.names.length);
  matchesName[id] = 1;
  return summarizeMatches(tree, matchesName);
}
