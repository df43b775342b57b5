import { useEffect, useState } from 'react';

import { reportHostError } from '../hostErrors';

/** /dashboards: the provisioned dashboards the host can open. */
export function DashboardList() {
  const [hits, setHits] = useState<Array<{ uid: string; title: string; url: string }>>();
  useEffect(() => {
    fetch('/api/search?type=dash-db')
      .then((res) => res.json())
      .then(setHits, (err) => reportHostError('Listing dashboards', err));
  }, []);
  if (!hits) {
    return null;
  }
  return (
    <ul data-testid="dashboard-list">
      {hits.length === 0 && <li>No dashboards under provisioning/dashboards/</li>}
      {hits.map((hit) => (
        <li key={hit.uid}>
          <a href={hit.url}>{hit.title}</a>
        </li>
      ))}
    </ul>
  );
}
