import { compareCodePoints } from '../engine/stable-json';
import type { RiskFlag } from './report';

/** The flags of one app, with the environments they touch listed once. */
export interface AppRisks {
  readonly app: string;
  readonly environments: readonly string[];
  readonly flags: readonly RiskFlag[];
}

/**
 * Flags grouped per app, apps in the order of their first flag (the report's section order), high
 * severity first within an app; environments in the order the flags name them.
 */
export function risksByApp(risks: readonly RiskFlag[]): AppRisks[] {
  const apps = new Map<string, RiskFlag[]>();
  for (const r of risks) apps.set(r.app, [...(apps.get(r.app) ?? []), r]);
  return [...apps].map(([app, flags]) => ({
    app,
    environments: [...new Set(flags.map((f) => f.environment))],
    flags: [...flags].sort((a, b) => compareCodePoints(a.severity, b.severity)),
  }));
}
