import CopyWebpackPlugin from 'copy-webpack-plugin';
import fs from 'node:fs';
import path from 'node:path';
import type { Configuration } from 'webpack';
import { merge } from 'webpack-merge';

import grafanaConfig, { type Env } from './.config/webpack/webpack.config';

// Extends the scaffold's config (kept as generated in .config/): each nested plugin needs its own
// logo next to its plugin.json (dist/datasource/img/, dist/panels/<name>/img/). The panels use the
// app's logo, copied rather than kept twice in src/.
const nestedPanelDirs: string[] = JSON.parse(fs.readFileSync(path.join(__dirname, 'src/plugin.json'), 'utf8'))
  .includes.filter((include: { type: string }) => include.type === 'panel')
  .map((include: { path: string }) => path.dirname(include.path));

const config = async (env: Env): Promise<Configuration> => {
  const baseConfig = await grafanaConfig(env);
  return merge(baseConfig, {
    plugins: [
      new CopyWebpackPlugin({
        patterns: [
          { from: 'datasource/img', to: 'datasource/img' },
          ...nestedPanelDirs.map((dir) => ({ from: 'img/logo.svg', to: `${dir}/img/logo.svg` })),
        ],
      }),
    ],
  });
};

export default config;
