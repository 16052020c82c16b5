/** One metric of an AnalysisTemplate, as the tests read it. */
export interface Metric {
  name: string;
  interval: string;
  failureLimit: number;
  successCondition: string;
  failureCondition?: string;
  initialDelay?: string;
  provider: { prometheus: { address: string; query: string } };
}

export const prometheusAddress = 'http://prometheus-operated.monitoring.svc:9090';
