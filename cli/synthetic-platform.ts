import { platformConfig } from '../apps/platform';
import { AppConfig, PlatformConfig } from '../lib/model/config';
import { definePlatform, Platform } from '../lib/model/platform';

/**
 * A platform of `count` apps for benchmarks: the sample platform's clusters and environments, with
 * apps cloned round-robin from the sample apps (`app-0001` is an inventory-api, `app-0002` a web, ...).
 */
export function syntheticPlatform(count: number): Platform {
  const templates = platformConfig.apps;
  const names = Array.from({ length: count }, (_, i) => `app-${String(i + 1).padStart(4, '0')}`);
  const apps = names.map((name, i): AppConfig => {
    const template = templates[i % templates.length];
    // Dependencies point at the nearest earlier clone of the dependency's template.
    const dependsOn = (template.needs?.dependsOn ?? [])
      .map((dep) => templates.findIndex((t) => t.name === dep))
      .map((t) => i - ((i - t + templates.length) % templates.length))
      .filter((j) => j >= 0 && j !== i)
      .map((j) => names[j]);
    const exposure = template.exposure?.type === 'public' ? { ...template.exposure, host: name } : template.exposure;
    return { ...template, name, image: template.name, exposure, needs: { ...template.needs, dependsOn } };
  });
  const config: PlatformConfig = { ...platformConfig, apps };
  return definePlatform(config);
}
