// The page Playwright drives: one FlameGraph with a real profile, chosen by URL parameters.
//   fixture=<name>   a fixture served under /fixtures/ (see server.mjs)
//   nodes=<n>        resize the real profile to exactly n nodes (profiles.ts)
//   theme=dark|light
//   state=loading|error|empty|malformed   the component's other states
//   table=0          hide the functions table
//   zoom=a;b;c       open zoomed at that frame (names from the root down, as the app keeps it in its URL)
import { createTheme, type DataFrame, ThemeContext } from '@grafana/data';
import React from 'react';
import { createRoot } from 'react-dom/client';

import { FlameGraph } from '../../../../src/components/FlameGraph';
import { loadFrame, resizeProfile, toColumns, toFrame } from './profiles';

declare global {
  interface Window {
    harness?: {
      ready: boolean;
      nodes: number;
      error?: string;
      /** Hand the same mounted component another fixture, as new query results would. */
      showFixture?: (name: string) => Promise<void>;
      /** Zoom as a caller that keeps the zoom (a URL) would: a new kept path, no click or focus. */
      zoomTo?: (path: string[]) => void;
      unmount?: () => void;
    };
  }
}

async function main() {
  const params = new URLSearchParams(location.search);
  const theme = createTheme({ colors: { mode: params.get('theme') === 'light' ? 'light' : 'dark' } });
  document.body.style.margin = '0';
  document.body.style.background = theme.colors.background.primary;
  document.body.style.color = theme.colors.text.primary;
  document.body.style.fontFamily = theme.typography.fontFamily;
  const state = params.get('state');
  let data: DataFrame | undefined;
  const fixture = params.get('fixture');
  if (fixture && state !== 'loading' && state !== 'empty' && state !== 'error') {
    data = await loadFrame(fixture);
    const nodes = Number(params.get('nodes'));
    if (nodes > 0) {
      data = toFrame(resizeProfile(toColumns(data), nodes));
    }
  }
  if (state === 'malformed') {
    data = {
      name: 'broken',
      length: 1,
      fields: [{ name: 'value', type: 'number', config: {}, values: [1] }],
    } as DataFrame;
  }
  const root = createRoot(document.getElementById('root')!);
  let zoomPath = params.get('zoom')?.split(';') ?? undefined;
  let shown = data;
  const draw = (frame: DataFrame | undefined) =>
    root.render(
      <ThemeContext.Provider value={theme}>
        <div style={{ padding: 16, width: Number(params.get('width')) || undefined }}>
          <FlameGraph
            data={frame}
            loading={state === 'loading'}
            error={state === 'error' ? 'Parca answered 503 Service Unavailable' : undefined}
            showTable={params.get('table') !== '0'}
            zoomPath={zoomPath}
            onZoomPathChange={zoomPath ? (path) => (zoomPath = path) : undefined}
          />
        </div>
      </ThemeContext.Provider>
    );
  draw(data);
  window.harness = {
    ready: true,
    nodes: data?.length ?? 0,
    showFixture: async (name) => {
      shown = await loadFrame(name);
      draw(shown);
    },
    zoomTo: (path) => {
      zoomPath = path;
      draw(shown);
    },
    unmount: () => root.unmount(),
  };
}

main().catch((e) => {
  window.harness = { ready: true, nodes: 0, error: String(e) };
  document.body.textContent = `harness failed: ${e}`;
});
