// The scene object lives apart from the component's index: pages without Scenes (and the browser
// harness, bundled without Grafana's runtime) import the component alone.
export { SceneFlameGraph, type SceneFlameGraphState } from './SceneFlameGraph';
export { flameGraphData, flameGraphFrame, type FlameGraphData } from './flameGraphData';
