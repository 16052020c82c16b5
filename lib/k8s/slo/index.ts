export * from './app-slo-dashboard';
export * from './app-slo-rules';
export * from './error-budget-analysis';
export * from './slo-queries';
