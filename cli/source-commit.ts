import { execFileSync } from 'node:child_process';
import { cleanSourceCommit } from '../lib/gitops/release-io';

/**
 * The commit of the project the output was synthesized from: `git rev-parse HEAD` (40 hex digits).
 * `PLATFORM_SOURCE_COMMIT` overrides it (CI builds from exported trees).
 */
export function sourceCommit(projectDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.PLATFORM_SOURCE_COMMIT;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  try {
    return execFileSync('git', ['rev-parse', '--verify', '-q', 'HEAD^{commit}'], {
      cwd: projectDir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'unknown';
  }
}

/**
 * The source commit of a release or promotion: `PLATFORM_SOURCE_COMMIT` when set (CI building an
 * exported tree, which is no checkout: nothing is checked), else HEAD of the platform repository
 * at `projectDir`, which must have no uncommitted change (see cleanSourceCommit).
 */
export function releaseSourceCommit(projectDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.PLATFORM_SOURCE_COMMIT;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return cleanSourceCommit(projectDir);
}
