import { spawnSync } from 'node:child_process';

/** What one git command did. */
export interface GitResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs git in `cwd` and returns its exit status and output; throws only when git cannot start.
 * Pathspecs are literal and git never prompts, so a run in CI cannot hang on credentials.
 */
export function runGit(cwd: string, args: readonly string[], input?: string): GitResult {
  const result = spawnSync('git', ['--literal-pathspecs', ...args], {
    cwd,
    input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
  });
  if (result.error) throw new Error(`cannot run git: ${result.error.message}; fix: install git and put it on PATH`);
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/** Runs git and returns its trimmed stdout; a failure throws `describe(reason)`. */
export function gitOrThrow(cwd: string, args: readonly string[], describe: (reason: string) => Error, input?: string): string {
  const result = runGit(cwd, args, input);
  if (result.status !== 0) throw describe(gitReason(result));
  return result.stdout.trim();
}

/** The most telling line of a failed git command's output, for a one-line error. */
export function gitReason(result: GitResult): string {
  const lines = `${result.stderr}\n${result.stdout}`
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('hint:'));
  const telling =
    lines.find((l) => /\[(remote )?rejected\]/.test(l)) ??
    lines.find((l) => /declined|denied/i.test(l)) ??
    lines.find((l) => /^(error|fatal):/i.test(l)) ??
    lines[0] ??
    `git exited with ${result.status}`;
  return telling.replace(/^(error|fatal):\s*/i, '').replace(/^!\s+\S+\s+/, '').replace(/\s+/g, ' ');
}
