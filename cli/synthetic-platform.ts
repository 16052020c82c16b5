import { platformConfig } from '../apps/platform';
import { type AppConfig, type PlatformConfig } from '../lib/model/config';
import { definePlatform, type Platform } from '../lib/model/platform';
import { type ReleasesConfig } from '../lib/model/releases';

/** Variations of the synthetic platform, so a root can hold the output of a different one. */
export interface SyntheticOptions {
  /**
   * The number of the first app: `first: 21` makes `app-0021` onwards. An app's template follows its
   * number, so `app-0021` is the same app whatever `first` is.
   * @default 1
   */
  readonly first?: number;
  /**
   * The release tag every environment runs.
   * @default - the sample platform's releases
   */
  readonly tag?: string;
}

/**
 * A platform of `count` apps for benchmarks: the sample platform's clusters and environments, with
 * apps cloned round-robin from the sample apps (`app-0001` is an inventory-api, `app-0002` a web, ...).
 */
export function syntheticPlatform(count: number, options: SyntheticOptions = {}): Platform {
  const templates = platformConfig.apps;
  const first = options.first ?? 1;
  const names = Array.from({ length: count }, (_, i) => `app-${String(first + i).padStart(4, '0')}`);
  const apps = names.map((name, i): AppConfig => {
    // Positions count from app-0001, so a clone keeps its template and dependencies when `first` moves.
    const at = first - 1 + i;
    const template = templates[at % templates.length];
    // Dependencies point at the nearest earlier clone of the dependency's template.
    const dependsOn = (template.needs?.dependsOn ?? [])
      .map((dep) => templates.findIndex((t) => t.name === dep))
      .map((t) => at - ((at - t + templates.length) % templates.length))
      .filter((j) => j >= first - 1 && j !== at)
      .map((j) => names[j - (first - 1)]);
    const exposure = template.exposure?.type === 'public' ? { ...template.exposure, host: name } : template.exposure;
    return { ...template, name, image: template.name, exposure, needs: { ...template.needs, dependsOn } };
  });
  const config: PlatformConfig = { ...platformConfig, apps, releases: options.tag === undefined ? platformConfig.releases : everyEnvAt(options.tag) };
  return definePlatform(config);
}

/** The sample platform's releases, with every environment at `tag`. */
function everyEnvAt(tag: string): ReleasesConfig {
  const environments = Object.fromEntries(Object.entries(platformConfig.releases.environments).map(([env, release]) => [env, { ...release, tag }]));
  return { environments };
}
