import { asString, at } from '../../manifest/json-access';
import { finding, type Finding, type RuleContext } from './types';

/** Every ArgoCD Application's source path holds files in the output. */
export function joinArgocdPath(ctx: RuleContext): Finding[] {
  return ctx.objects
    .filter((o) => o.kind === 'Application')
    .flatMap((o): Finding[] => {
      const p = asString(at(o.body, 'spec', 'source', 'path'));
      if (p === undefined) return [];
      const dir = p.replace(/\/+$/, '');
      return ctx.files.some((f) => f.startsWith(`${dir}/`))
        ? []
        : [finding(o, 'join-argocd-path', `syncs path "${p}", which holds no file of the output`, 'correct spec.source.path, or synthesize the environment it names')];
    });
}
