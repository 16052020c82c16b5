import { CommanderError } from 'commander';
import { OutputError } from '../lib/engine/output-error';
import { ConfigError } from '../lib/model/config-error';
import { RequestError, type RequestInput } from '../lib/model/request-error';
import { Interrupted } from '../lib/pipeline/interrupted';
import { SelectionError } from '../lib/pipeline/selection-error';
import { UsageError } from './errors';

/** The flag of each input a lib error names: `againstRef` is `--against-ref`. */
export function flagOf(input: RequestInput): string {
  return `--${input.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** The flag each selection of a lib call comes from. */
const SELECTION_FLAGS: Readonly<Record<SelectionError['what'], string>> = { environment: '--env', app: '--app', plane: '--plane' };

/**
 * Ends a CLI run: the command's own exit code, or for an error one line on stderr and exit 2
 * (the stack too for unexpected errors when PLATFORM_DEBUG is set).
 */
export function exitWith(run: Promise<number>): void {
  // A reader that stops early (`| head`) closes the pipe: what was printed is all it wanted, so
  // further output is dropped and the run still ends with its own exit code, without a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
    process.stderr.write(`error: cannot write the output: ${error.message}\n`);
    process.exitCode = 2;
  });
  run.then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof CommanderError) {
        // Commander has printed its own message; --help ends here with 0.
        process.exitCode = error.exitCode === 0 ? 0 : 2;
        return;
      }
      if (error instanceof SelectionError) {
        process.stderr.write(`error: unknown ${error.what} "${error.value}" in ${SELECTION_FLAGS[error.what]}; fix: use one of ${error.known.join(', ')}\n`);
        process.exitCode = 2;
        return;
      }
      const known =
        error instanceof ConfigError || error instanceof UsageError || error instanceof RequestError || error instanceof OutputError || error instanceof Interrupted;
      const text = error instanceof RequestError ? error.render(flagOf) : error instanceof Error ? error.message : String(error);
      const message = text.split('\n')[0];
      process.stderr.write(`error: ${message}\n`);
      if (!known && error instanceof Error && process.env.PLATFORM_DEBUG) process.stderr.write(`${error.stack}\n`);
      process.exitCode = error instanceof Interrupted ? error.exitCode : 2;
    },
  );
}
