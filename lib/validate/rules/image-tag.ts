import { asString } from '../../manifest/json-access';
import { cname, containers, finding, type Finding, type RuleContext } from './types';

/** No `latest` or untagged image: every container image names a tag or a digest. */
export function imageTag(ctx: RuleContext): Finding[] {
  return ctx.objects.flatMap((o) =>
    containers(o).flatMap((c): Finding[] => {
      const image = asString(c.body.image) ?? '';
      if (image.includes('@sha256:')) return [];
      const last = image.split('/').pop() ?? '';
      const tag = last.includes(':') ? last.slice(last.indexOf(':') + 1) : '';
      if (tag === '') return [finding(o, 'image-tag', `${cname(c)} image "${image}" has no tag`, 'pin the image to a release tag or digest')];
      if (tag === 'latest') return [finding(o, 'image-tag', `${cname(c)} image "${image}" uses the latest tag`, 'pin the image to a release tag or digest')];
      return [];
    }),
  );
}
