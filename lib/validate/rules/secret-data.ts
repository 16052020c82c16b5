import { finding, Finding, isObj, RuleContext } from './types';

/** No Secret carries data in the output: secrets come through ExternalSecrets. */
export function secretData(ctx: RuleContext): Finding[] {
  return ctx.objects
    .filter((o) => o.kind === 'Secret' && (['data', 'stringData'] as const).some((k) => isObj(o.body[k]) && Object.keys(o.body[k] as object).length > 0))
    .map((o) => finding(o, 'secret-data', 'is a Secret that carries data in the output', 'keep the value in Secret Manager and reference it through an ExternalSecret (AppConfig.secrets)'));
}
