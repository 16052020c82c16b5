import { platformConfig } from '../apps/platform';
import { envEvents } from '../lib/gitops/release-history';
import { appsIn } from '../lib/gitops/release-state';
import { definePlatform } from '../lib/model/platform';
import { effectiveRelease, type ReleaseProvenance } from '../lib/model/releases';
import { gitopsHistory, type ReadOptions, reportFormat } from './history-command';

/** One environment as status reports it. */
interface EnvStatus {
  readonly env: string;
  readonly tag: string;
  /** The apps that run in the environment, each with the release it runs there. */
  readonly apps: readonly { readonly app: string; readonly tag: string; readonly digest?: string; readonly configVersion?: string }[];
  readonly canaryWeight?: number;
  readonly action?: string;
  /** Where the environment's release came from: the platform commits of the release and of the run. */
  readonly provenance?: ReleaseProvenance;
  /** The last GitOps commit that changed the environment's entry. */
  readonly changed?: { readonly commit: string; readonly time: string; readonly subject: string };
}

/**
 * `status --gitops DIR`: what each environment runs, from the newest committed releases.json, and
 * the GitOps commit that last changed it. Read-only: no lock, no write. Returns the text to print.
 */
export function runStatus(options: ReadOptions): string {
  const config = options.config ?? platformConfig;
  const format = reportFormat(options.format);
  const { history, events } = gitopsHistory(options.gitops, 'status');
  const latest = history.versions[history.versions.length - 1];
  const known = config.environments.map((e) => e.name);
  // Which apps run where is the config's: the canary environment runs only the candidates.
  const platform = definePlatform(config);
  const names = [...known.filter((n) => latest.releases.environments[n] !== undefined), ...Object.keys(latest.releases.environments).filter((n) => !known.includes(n))];
  const envs: EnvStatus[] = names.map((env) => {
    const entry = latest.releases.environments[env];
    const last = envEvents(events, env).pop();
    return {
      env,
      tag: entry.tag,
      apps: appsIn(platform, env).map((app) => {
        const r = effectiveRelease(entry, app);
        return { app, tag: r.tag, digest: r.digest, configVersion: r.configVersion };
      }),
      canaryWeight: entry.canaryWeight,
      action: last?.action,
      provenance: entry.provenance,
      changed: last && { commit: last.commit, time: last.time, subject: last.subject },
    };
  });
  if (format === 'json') {
    return `${JSON.stringify({ commit: latest.commit, time: latest.time, environments: envs, notes: history.notes }, null, 2)}\n`;
  }
  const rows = [
    ['ENV', 'TAG', 'CANARY', 'CHANGED', 'COMMIT', 'SUBJECT'],
    ...envs.map((s) => [s.env, s.tag, s.canaryWeight === undefined ? '-' : `${s.canaryWeight}%`, s.changed?.time ?? '-', s.changed?.commit.slice(0, 12) ?? '-', s.changed?.subject ?? '-']),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const lines = rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  '));
  for (const s of envs) {
    for (const a of s.apps) {
      const parts = [a.tag, a.digest, a.configVersion === undefined ? undefined : `config ${a.configVersion}`].filter((p) => p !== undefined);
      lines.push(`  ${s.env}/${a.app}: ${parts.join('  ')}`);
    }
  }
  return `${[...lines, ...history.notes.map((n) => `note: ${n}`)].join('\n')}\n`;
}
