import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UsageError } from './errors';

/** This project: never an output root, nor anything that holds it. */
export const PROJECT_DIR = path.resolve(__dirname, '..');

/** The project's own folders: sources, tests, tooling. An output root inside one would mix with them. */
const PROJECT_FOLDERS = ['.git', '.github', '.ci', '.build', 'apps', 'cli', 'ci', 'docs', 'infra', 'lib', 'node_modules', 'scripts', 'test'];

/**
 * Refuses an output root (`--out`, `--gitops`) that the tool must never write into: `/`, the home
 * directory, this project or a directory that holds it, or one of the project's own folders. Links
 * are resolved first, so a link to one of them is refused too.
 */
export function checkOutDir(dir: string, flag: string, projectDir = PROJECT_DIR): void {
  const target = realPath(path.resolve(dir));
  const project = realPath(projectDir);
  const refuse = (what: string): never => {
    throw new UsageError(`${flag} ${dir} is ${what}, which the tool never writes into; fix: pass a directory of its own, such as dist or a GitOps checkout`);
  };
  if (target === path.parse(target).root) refuse('the file system root');
  if (target === realPath(os.homedir())) refuse('the home directory');
  if (target === project) refuse('this project itself');
  if (project.startsWith(`${target}${path.sep}`)) refuse('a directory that holds this project');
  const inside = path.relative(project, target);
  if (!inside.startsWith('..') && !path.isAbsolute(inside) && PROJECT_FOLDERS.includes(inside.split(path.sep)[0])) {
    refuse(`inside the project's own folder ${inside.split(path.sep)[0]}/`);
  }
}

/** The real path of `p`, or of its nearest existing ancestor with the rest appended. */
function realPath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    const parent = path.dirname(p);
    return parent === p ? p : path.join(realPath(parent), path.basename(p));
  }
}

/**
 * The default output root, `dist/` of this project, as a path from the current directory: a run
 * from a subdirectory still writes the project's dist/, while paths given on the command line
 * resolve from where the caller stands.
 */
export function defaultOutDir(cwd = process.cwd()): string {
  return path.relative(cwd, path.join(PROJECT_DIR, 'dist')) || '.';
}
