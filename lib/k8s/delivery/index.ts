export * from './app-delivery';
export * from './canary-comparison-analysis';
export * from './prometheus-analysis';
export * from './release-analysis';
export * from './rollout-strategy';
