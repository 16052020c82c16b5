import { platformStacks } from '../infra/platform-stacks';
import { renderChart } from '../lib/engine/kubernetes';
import { layout, OutputFile, SHARED_SCOPES } from '../lib/engine/output';
import { synthStack } from '../lib/engine/terraform';
import { argocdCharts, clusterCharts, clusterScope, environmentCharts } from '../lib/k8s/platform-charts';
import { Environment, Platform } from '../lib/model/platform';
import { UsageError } from './errors';

/** Everything one synth produces, in memory. */
export interface PlatformOutput {
  readonly files: readonly OutputFile[];
  /** The scopes the files cover: the selected environments and the shared scopes. */
  readonly scopes: readonly string[];
}

/** The two outputs of a synth. */
export const PLANES = ['terraform', 'kubernetes'] as const;
export type Plane = (typeof PLANES)[number];

/**
 * Synthesizes the platform in memory. `envs` limits the environment directories and their ArgoCD
 * Applications; the Terraform stacks and the shared ArgoCD objects always come along, as they are
 * derived from every environment. `planes` limits the output to Terraform or Kubernetes.
 */
export function synthPlatform(platform: Platform, envs: readonly string[] = [], planes: readonly Plane[] = PLANES): PlatformOutput {
  const selected = selectEnvironments(platform, envs);
  const files: OutputFile[] = [];
  const scopes: string[] = [];
  if (planes.includes('kubernetes')) {
    const charts = [
      ...argocdCharts(platform, selected),
      ...clusterCharts(platform),
      ...selected.flatMap((env) => environmentCharts(platform, env)),
    ];
    for (const { chart, dir, scope } of charts) files.push(...renderChart(chart, dir, scope));
    scopes.push(...selected.map((e) => e.name), SHARED_SCOPES.argocd, ...platform.clusters.map((c) => clusterScope(c.name)));
  }
  if (planes.includes('terraform')) {
    for (const { name, stack } of platformStacks(platform)) {
      files.push({ path: layout.terraformStack(name), content: synthStack(stack), scope: SHARED_SCOPES.terraform });
    }
    scopes.push(SHARED_SCOPES.terraform);
  }
  return { files, scopes };
}

/** The environments named by `--env`, in promotion order; all of them when none is named. */
export function selectEnvironments(platform: Platform, names: readonly string[]): Environment[] {
  const known = platform.environments.map((e) => e.name);
  for (const name of names) {
    if (!known.includes(name)) {
      throw new UsageError(`unknown environment "${name}" in --env; fix: use one of ${known.join(', ')}`);
    }
  }
  return names.length === 0 ? [...platform.environments] : platform.environments.filter((e) => names.includes(e.name));
}
