import { secretDataFields } from '../../manifest/secret-data';
import { finding, type Finding, type RuleContext } from './types';

/** No Secret carries data in the output: secrets come through ExternalSecrets. */
export function secretData(ctx: RuleContext): Finding[] {
  return ctx.objects
    .filter((o) => secretDataFields(o).length > 0)
    .map((o) => finding(o, 'secret-data', 'is a Secret that carries data in the output', 'keep the value in Secret Manager and reference it through an ExternalSecret (AppConfig.secrets)'));
}
