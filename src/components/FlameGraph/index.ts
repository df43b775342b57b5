export { FlameGraph, type FlameGraphProps } from './FlameGraph';
export { buildProfileTree, ProfileFrameError, type ProfileTree } from './profileTree';
export { pruneForView, type FlameDatum, type PrunedView } from './prune';
export { searchProfile, type SearchResult } from './search';
export { summarizeFunctions, type FunctionSummary } from './topFunctions';
