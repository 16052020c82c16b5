import { type Platform } from '../model/platform';
import { type ValidateOutputOptions } from './output';

/** The rules' options from the platform: its production environment and its apps' waivers. */
export function platformRules(platform: Platform): ValidateOutputOptions {
  return {
    productionEnvs: [platform.production.name],
    waivers: platform.apps.flatMap((a) => a.waivers.map((w) => ({ app: a.name, rule: w.rule, reason: w.reason }))),
  };
}
