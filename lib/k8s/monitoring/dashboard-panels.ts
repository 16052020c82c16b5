import { type JsonValue } from './grafana-dashboard';

/** One Grafana panel, as dashboard JSON. */
export type Panel = { readonly [key: string]: JsonValue };

/** One PromQL query of a panel and its legend. */
export interface PanelTarget {
  readonly expr: string;
  readonly legend: string;
}

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

/** A time series panel on the dashboard's Prometheus data source. */
export function timeseriesPanel(title: string, unit: string, targets: readonly PanelTarget[], range: { readonly min?: number; readonly max?: number } = { min: 0 }): Panel {
  return {
    type: 'timeseries',
    title,
    datasource: DATASOURCE,
    fieldConfig: { defaults: { unit, ...range }, overrides: [] },
    options: { legend: { displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi' } },
    targets: targets.map((t, index) => ({
      refId: String.fromCharCode(65 + index),
      datasource: DATASOURCE,
      expr: t.expr,
      legendFormat: t.legend,
    })),
  };
}

/** The fields every platform dashboard shares: read-only, UTC, refreshed each minute, one data source picker. */
export function dashboardFrame(from: string): { readonly [key: string]: JsonValue } {
  return {
    editable: false,
    schemaVersion: 39,
    refresh: '1m',
    time: { from, to: 'now' },
    timezone: 'utc',
    templating: {
      list: [{ name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', hide: 0 }],
    },
  };
}
