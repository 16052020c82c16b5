import { execFileSync } from 'node:child_process';

/**
 * The commit of the project the output was synthesized from, `-dirty` when the work tree has
 * uncommitted changes. `PLATFORM_SOURCE_COMMIT` overrides it (CI builds from exported trees).
 */
export function sourceCommit(projectDir: string): string {
  const fromEnv = process.env.PLATFORM_SOURCE_COMMIT;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  try {
    return execFileSync('git', ['describe', '--always', '--abbrev=40', '--dirty'], {
      cwd: projectDir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'unknown';
  }
}
