import parseSemver from 'semver/functions/parse';
import { asArray, asString, isRecord } from '../manifest/json-access';

/** An image reference split at its tag: `repo/name`, `v1.2.3`. The digest is ignored. */
export interface ImageParts {
  readonly repository: string;
  readonly tag?: string;
}

export function parseImage(image: string): ImageParts {
  const withoutDigest = image.split('@')[0];
  const colon = withoutDigest.lastIndexOf(':');
  // A colon before the last slash belongs to a registry port, not a tag.
  if (colon < 0 || colon < withoutDigest.lastIndexOf('/')) return { repository: withoutDigest };
  return { repository: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1) };
}

/**
 * Semver precedence of two tags (`v` prefix optional): negative when `a` is older. Undefined
 * when either is not semver, since `latest` or a date tag has no order. The `semver` package ranks
 * pre-releases below their release and ignores build metadata.
 * @see https://semver.org/#spec-item-11
 */
export function compareSemver(a: string, b: string): number | undefined {
  const [x, y] = [parseSemver(a), parseSemver(b)];
  return x === null || y === null ? undefined : x.compare(y);
}

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/**
 * Every container image of an object, keyed by where the container sits and its name
 * (`spec.template.spec.containers/app`), wherever the pod template is: Deployments, Rollouts,
 * Jobs, CronJobs and custom resources alike.
 */
export function containerImages(object: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (value: unknown, where: string): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, `${where}[${i}]`));
      return;
    }
    if (!isRecord(value)) return;
    for (const [key, child] of Object.entries(value)) {
      const here = where === '' ? key : `${where}.${key}`;
      if (CONTAINER_LISTS.has(key)) {
        for (const container of asArray(child)) {
          const name = asString(isRecord(container) ? container.name : undefined);
          const image = asString(isRecord(container) ? container.image : undefined);
          if (name !== undefined && image !== undefined) out.set(`${here}/${name}`, image);
        }
      } else {
        walk(child, here);
      }
    }
  };
  walk(object, '');
  return out;
}

/** A container whose image tag moved to an older semver of the same repository. */
export interface TagRollback {
  readonly container: string;
  readonly repository: string;
  readonly from: string;
  readonly to: string;
}

export function tagRollbacks(before: unknown, after: unknown): TagRollback[] {
  const old = containerImages(before);
  const out: TagRollback[] = [];
  for (const [where, image] of containerImages(after)) {
    const previous = old.get(where);
    if (previous === undefined) continue;
    const [a, b] = [parseImage(previous), parseImage(image)];
    if (a.repository !== b.repository || a.tag === undefined || b.tag === undefined) continue;
    const order = compareSemver(b.tag, a.tag);
    if (order !== undefined && order < 0) {
      out.push({ container: where.slice(where.lastIndexOf('/') + 1), repository: b.repository, from: a.tag, to: b.tag });
    }
  }
  return out;
}

/**
 * One reason for all the rollbacks of one object, so a pod template whose app and init container
 * share an image reads as one line: `containers app and migrate: repo tag v1.3.1 → v1.3.0 goes
 * backwards`. Containers that moved the same repository between the same tags share a clause.
 */
export function rollbackReason(rollbacks: readonly TagRollback[]): string {
  const clauses = new Map<string, { containers: string[]; rollback: TagRollback }>();
  for (const r of rollbacks) {
    const key = JSON.stringify([r.repository, r.from, r.to]);
    const clause = clauses.get(key);
    if (clause === undefined) clauses.set(key, { containers: [r.container], rollback: r });
    else clause.containers.push(r.container);
  }
  return [...clauses.values()]
    .map(({ containers, rollback: r }) => {
      const last = containers[containers.length - 1];
      const names = containers.length === 1 ? `container ${last}` : `containers ${containers.slice(0, -1).join(', ')} and ${last}`;
      return `${names}: ${r.repository} tag ${r.from} → ${r.to} goes backwards`;
    })
    .join('; ');
}
