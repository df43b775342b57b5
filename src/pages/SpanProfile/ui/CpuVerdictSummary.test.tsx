import { EmbeddedScene } from '@grafana/scenes';
import { render, screen, waitFor } from '@testing-library/react';
import React from 'react';
import { MemoryRouter } from 'react-router-dom';

import { resolveAppSettings } from '../../../shared/appSettings';
import { viewQuery, type QueryInputs } from '../domain/profileQueries';
import { locateSpan, placeFacts, type SpanPlace } from '../domain/spanPlace';
import { spanWindow } from '../domain/spanWindow';
import { buildSpanProfileQueryRunner } from '../infrastructure/queryRunners';
import { fakeDatasources } from '../testing/fakeDatasources';
import { demoTrace, TRACE_ID } from '../testing/spans';
import { SpanCpuVerdict } from './SpanCpuVerdict';

const AGENT = 'parca_agent:samples:count:cpu:nanoseconds:delta';
const settings = resolveAppSettings({});
const { parca } = fakeDatasources();

function renderSummary(spanId: string) {
  const found = locateSpan(demoTrace(), spanId);
  const place = (found as { place: SpanPlace }).place;
  const facts = placeFacts({ traceId: TRACE_ID }, place);
  const window = spanWindow(facts.startMs as number, facts.endMs as number);
  const inputs: QueryInputs = {
    facts,
    spanWindow: window,
    pageWindow: window,
    serviceLabel: settings.serviceLabel,
    profileType: AGENT,
  };
  // The page's flame graph runner of the span view, which the summary reads instead of asking again.
  const shown = buildSpanProfileQueryRunner(settings, viewQuery('span', inputs)!);
  const verdict = SpanCpuVerdict.forView(settings, inputs, 'span', place, shown)!;
  const root = new EmbeddedScene({ $data: shown, body: verdict });
  root.activate();
  // TextLink is a router link: Grafana renders app pages inside its router.
  render(
    <MemoryRouter>
      <verdict.Component model={verdict} />
    </MemoryRouter>
  );
}

describe('CpuVerdictSummary', () => {
  it('shows the waiting verdict with its range, and links each child span that covers the wait', async () => {
    parca.answer = ({ query }) => (query.spanId ? 1 : 4);
    renderSummary('bbbbbbbbbbbbbbb2');
    const summary = await screen.findByTestId('cpu-verdict');
    await waitFor(() => expect(summary).toHaveAttribute('data-verdict', 'waiting'));
    expect(summary).toHaveTextContent('CPU 53 ms of 801 ms (7%): this span mostly waited.');
    expect(summary).toHaveTextContent(
      "From 1 sample: the span's CPU lies between 0.688 ms and 293 ms (0.1% to 37% of the duration)"
    );
    expect(summary).toHaveTextContent('With what it called');
    const links = screen.getAllByRole('link');
    expect(links.map((a) => a.textContent)).toEqual(['checkout: POST /charge', 'checkout: price']);
    expect(links[0].getAttribute('href')).toContain(`traceId=${TRACE_ID}&spanId=ccccccccccccccc3`);
  });

  it('says when there are too few samples to tell', async () => {
    parca.answer = ({ query }) => (query.spanId ? 8 : 9);
    renderSummary('bbbbbbbbbbbbbbb2');
    const summary = await screen.findByTestId('cpu-verdict');
    await waitFor(() => expect(summary).toHaveAttribute('data-verdict', 'too-few-samples'));
    expect(summary).toHaveTextContent('Too few samples to say whether this span computed or waited');
    expect(screen.queryByTestId('waiting-children')).not.toBeInTheDocument();
  });
});
