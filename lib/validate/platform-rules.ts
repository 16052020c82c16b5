import { type Platform } from '../model/platform';
import { platformImages, type ValidateOutputOptions } from './output';

/** The rules' options from the platform: its production environment, its own images and its apps' waivers. */
export function platformRules(platform: Platform): ValidateOutputOptions {
  return {
    productionEnvs: [platform.production.name],
    platformImages: platformImages(platform.operationsImage),
    waivers: platform.apps.flatMap((a) => a.waivers.map((w) => ({ app: a.name, rule: w.rule, reason: w.reason }))),
  };
}
