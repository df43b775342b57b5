export interface FlameGraphServer {
  url: string;
  /** Fixture names the pages can load from /fixtures/<name>. */
  fixtures: string[];
  close(): Promise<void>;
}
export function startFlameGraphServer(): Promise<FlameGraphServer>;
export function listFixtures(): Record<string, string>;
