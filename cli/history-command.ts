import * as fs from 'node:fs';
import { platformConfig } from '../apps/platform';
import { envEvents, readReleaseHistory, type ReleaseEvent, releaseEvents, type ReleaseHistory } from '../lib/gitops/release-history';
import { runGit } from '../lib/gitops/git';
import { GitOpsError } from '../lib/gitops/gitops-error';
import { type PlatformConfig } from '../lib/model/config';
import { UsageError } from './errors';

/** Output formats of the read-only commands (status, history, dora). */
export const REPORT_FORMATS = ['text', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function reportFormat(format: string | undefined): ReportFormat {
  const found = REPORT_FORMATS.find((f) => f === (format ?? 'text'));
  if (found === undefined) throw new UsageError(`unknown --format "${format}"; fix: use one of ${REPORT_FORMATS.join(', ')}`);
  return found;
}

/** What the read-only commands take: the checkout, and the platform's config (the sample's by default). */
export interface ReadOptions {
  readonly gitops?: string;
  readonly format?: string;
  /** @default - the sample platform's config */
  readonly config?: PlatformConfig;
}

/** The history of the releases file of `--gitops`, and its events; refuses a directory that is no git checkout. */
export function gitopsHistory(gitops: string | undefined, command: string): { readonly history: ReleaseHistory; readonly events: ReleaseEvent[] } {
  if (gitops === undefined || gitops === '') throw new UsageError(`${command} reads the GitOps checkout's history; fix: add --gitops DIR`);
  if (!fs.existsSync(gitops) || !fs.statSync(gitops).isDirectory()) {
    throw new GitOpsError(`{gitops} ${gitops} is not a directory; fix: clone the GitOps repository there, or pass its checkout`);
  }
  const inside = runGit(gitops, ['rev-parse', '--is-inside-work-tree']);
  if (inside.status !== 0 || inside.stdout.trim() !== 'true') {
    throw new GitOpsError(`{gitops} ${gitops} is not a git checkout; fix: clone the GitOps repository there, or pass its checkout`);
  }
  const history = readReleaseHistory(gitops);
  if (history.versions.length === 0) {
    // A directory inside the work tree: releases.json lives at its top, where release writes it.
    const top = runGit(gitops, ['rev-parse', '--show-toplevel']).stdout.trim();
    if (top !== '' && fs.realpathSync(top) !== fs.realpathSync(gitops)) {
      throw new GitOpsError(`{gitops} ${gitops} has no committed releases.json; fix: pass {gitops} ${top}, the top of its git work tree`);
    }
    throw new GitOpsError(`{gitops} ${gitops} has no committed releases.json; fix: run release with {gitops} ${gitops} first`);
  }
  return { history, events: releaseEvents(history.versions) };
}

/** The environment names of the config, checked against `--env`. */
export function checkEnv(config: PlatformConfig, env: string | undefined): string | undefined {
  const names = config.environments.map((e) => e.name);
  if (env !== undefined && !names.includes(env)) throw new UsageError(`unknown environment "${env}" in --env; fix: use one of ${names.join(', ')}`);
  return env;
}

export interface HistoryOptions extends ReadOptions {
  readonly env?: string;
  /** At most this many events per environment. */
  readonly limit?: string;
}

/** One event as history prints it in JSON. */
function eventJson(e: ReleaseEvent): Record<string, unknown> {
  return {
    commit: e.commit,
    time: e.time,
    subject: e.subject,
    env: e.env,
    action: e.action,
    tag: e.tag,
    apps: e.apps.length === 0 ? undefined : e.apps,
    canaryWeight: e.canaryWeight,
    from: e.provenance?.from,
    reason: e.provenance?.reason,
    restoredCommit: e.provenance?.restoredCommit,
    replacedTag: e.provenance?.replacedTag,
    tagTime: e.tagTime,
  };
}

/**
 * `history --gitops DIR [--env E] [--limit N]`: what each environment ran, newest first, from the
 * commits of releases.json (see lib/gitops/release-history.ts). Returns the text to print.
 */
export function runHistory(options: HistoryOptions): string {
  const config = options.config ?? platformConfig;
  const format = reportFormat(options.format);
  const env = checkEnv(config, options.env);
  let limit: number | undefined;
  if (options.limit !== undefined) {
    limit = Number(options.limit);
    if (!/^[1-9]\d*$/.test(options.limit)) throw new UsageError(`--limit "${options.limit}" is no positive integer; fix: pass a count such as --limit 10`);
  }
  const { history, events } = gitopsHistory(options.gitops, 'history');
  const envs = env === undefined ? config.environments.map((e) => e.name) : [env];
  const perEnv = envs.map((name) => ({ env: name, events: envEvents(events, name).reverse().slice(0, limit) }));
  if (format === 'json') {
    return `${JSON.stringify({ environments: perEnv.map((p) => ({ env: p.env, events: p.events.map(eventJson) })), notes: history.notes }, null, 2)}\n`;
  }
  const lines: string[] = [];
  for (const p of perEnv) {
    lines.push(`${p.env}:`);
    if (p.events.length === 0) lines.push('  (no change recorded)');
    for (const e of p.events) lines.push(`  ${describeEvent(e)}`);
  }
  return `${[...lines, ...history.notes.map((n) => `note: ${n}`)].join('\n')}\n`;
}

/** One line: commit, time, tag (and app tags), action and what it adds. */
export function describeEvent(e: ReleaseEvent): string {
  const apps = e.apps.filter((a) => a.tag !== e.tag || a.digest !== undefined).map((a) => `${a.app} ${a.tag}${a.digest === undefined ? '' : `@${a.digest.slice(0, 19)}`}`);
  const extra = [
    ...(apps.length === 0 ? [] : [`(${apps.join(', ')})`]),
    e.action === 'promote' && e.provenance?.from !== undefined ? `from ${e.provenance.from}` : '',
    e.canaryWeight === undefined ? '' : `weight ${e.canaryWeight}%`,
    e.action === 'rollback' && e.provenance?.replacedTag !== undefined
      ? `replaces ${e.provenance.replacedTag}, restores GitOps commit ${(e.provenance.restoredCommit ?? '').slice(0, 12)}`
      : '',
    e.reason !== undefined ? `reason: ${e.reason}` : '',
  ].filter((s) => s !== '');
  return [e.commit.slice(0, 12), e.time, e.tag.padEnd(8), e.action.padEnd(11), ...extra].join('  ').trimEnd();
}
