import { Alert, LinkButton } from '@grafana/ui';
import React from 'react';

import { APP_SETTINGS_URL } from '../appUrls';

/** A page that cannot work with the app's settings says why, and links to where they are fixed. */
export function SettingsProblem({
  problem,
  title = 'The app needs a setting fixed',
}: {
  problem: string;
  title?: string;
}) {
  return (
    <Alert severity="warning" title={title} data-testid="settings-problem">
      <p>{problem}</p>
      <LinkButton href={APP_SETTINGS_URL} icon="cog" variant="secondary" size="sm">
        Open the app settings
      </LinkButton>
    </Alert>
  );
}
