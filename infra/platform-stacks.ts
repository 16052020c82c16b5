import { App, type TerraformStack } from 'cdktf';
import { naming } from '../lib/model/naming';
import { type Platform } from '../lib/model/platform';
import { BootstrapStack } from './bootstrap-stack';
import { ClusterStack } from './cluster-stack';
import { stackResources } from '../lib/gcp/project-apis';
import { withScratchOutdir } from '../lib/engine/terraform';

/** A stack with its name, ready to synthesize. */
export interface NamedStack {
  readonly name: string;
  readonly stack: TerraformStack;
}

/**
 * The platform's stacks in apply order: the bootstrap (state bucket and registry) first, then one
 * stack per cluster.
 * Each stack gets its own cdktf App, so one stack's aspects never visit another's.
 * @param appFor the App of each stack. @default - an App for an in-memory synth (withScratchOutdir)
 */
export function platformStacks(platform: Platform, appFor?: (name: string) => App): NamedStack[] {
  if (appFor === undefined) return withScratchOutdir((outdir) => buildStacks(platform, () => new App({ outdir })));
  return buildStacks(platform, appFor);
}

function buildStacks(platform: Platform, appFor: (name: string) => App): NamedStack[] {
  const stacks: NamedStack[] = [];
  const managed: { type: string; project: string }[] = [];
  for (const cluster of platform.clusters) {
    const name = naming.clusterStack(cluster.name);
    const stack = new ClusterStack(appFor(name), name, {
      platform: platform.name,
      cluster,
      state: platform.state,
      statePrefix: name,
      registry: platform.registry,
      instances: cluster.environments.flatMap((env) => platform.instances(env)),
      traffic: platform.traffic,
      secretStores: platform.secretStores.filter((s) => s.cluster === cluster.name),
      argocd: {
        identity: platform.argocd.find((a) => a.cluster.name === cluster.name)?.identity,
        managers: platform.argocd.filter((a) => a.cluster.name !== cluster.name && a.targets.some((t) => t.cluster.name === cluster.name)).flatMap((a) => (a.identity ? [a.identity] : [])),
      },
    });
    stacks.push({ name, stack });
    managed.push(...stackResources(stack, cluster.project).map((r) => ({ type: r.type, project: r.project })));
  }
  // Built last, since CI's runner is granted what the cluster stacks manage; applied first.
  const bootstrap = naming.bootstrapStack();
  const stack = new BootstrapStack(appFor(bootstrap), bootstrap, {
    state: platform.state,
    registry: platform.registry,
    releaseTags: platform.releaseTags(),
    statePrefix: bootstrap,
    ci: platform.ci,
    managedResources: managed,
  });
  return [{ name: bootstrap, stack }, ...stacks];
}
