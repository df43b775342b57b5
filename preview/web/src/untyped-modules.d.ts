// Shared with plugins as they are; the host never calls them, so no types are needed.
declare module 'd3';
declare module 'prismjs';
declare module 'slate';
declare module 'slate-plain-serializer';
