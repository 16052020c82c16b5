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

/**
 * Commander's own errors (an unknown option, a missing or extra argument) as one line with its fix,
 * like every other error. Commander puts a near miss on a second line (`(Did you mean --out?)`);
 * it goes into the fix. `command` is the command run, when there is one.
 */
export function usageErrorLine(text: string, command: string | undefined): string {
  const [first, ...rest] = text.trim().split('\n');
  const near = /\(Did you mean (.+)\?\)/.exec(rest.join(' '));
  const what = first.replace(/^error: /, '').replace(/\.$/, '');
  return `error: ${what}; fix: ${near === null ? '' : `did you mean ${near[1]}? `}run platform-as-code ${command === undefined ? '' : `${command} `}--help for the options\n`;
}

/** The output of a commander program run with `argv` (the command first): errors as usageErrorLine makes them. */
export function commanderOutput(argv: readonly string[]): {
  writeErr: (text: string) => void;
  outputError: (text: string, write: (text: string) => void) => void;
} {
  const command = argv[0] !== undefined && /^[a-z]+$/.test(argv[0]) ? argv[0] : undefined;
  return {
    writeErr: (text) => process.stderr.write(text),
    outputError: (text, write) => write(usageErrorLine(text, command)),
  };
}
