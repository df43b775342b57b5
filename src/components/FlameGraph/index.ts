export { FlameGraph, type FlameGraphProps, ZOOM_PATH_SEPARATOR } from './FlameGraph';
export { buildProfileTree, ProfileFrameError, type ProfileTree } from './profileTree';
export { pruneForView, type FlameDatum, type PrunedView } from './prune';
export { searchProfile, type SearchResult } from './search';
export { summarizeFunctions, type FunctionSummary } from './topFunctions';
