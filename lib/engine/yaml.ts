import { dump, type DumpOptions } from 'js-yaml';

/** Block style, no line folding (diffs stay line by line), no anchors. */
const OPTIONS: DumpOptions = { lineWidth: -1, noRefs: true };

/**
 * YAML for a Kubernetes object, byte for byte what js-yaml's `dump(object, OPTIONS)` writes, but
 * faster: js-yaml decides the style of every scalar anew (plain, quoted, block literal), which was
 * a fifth of a synth's main thread, while a synth repeats the same keys and values thousands of
 * times. Here the structure (mappings, sequences, indentation) is written directly and each
 * distinct scalar is rendered once by js-yaml itself and remembered, so the quoting rules stay
 * js-yaml's. Anything outside plain JSON data goes to js-yaml whole.
 */
export function toYaml(object: unknown): string {
  if (!isMapping(object) || Object.keys(object).length === 0) return dump(object, OPTIONS);
  const lines: string[] = [];
  if (!writeMapping(object, 0, lines)) return dump(object, OPTIONS);
  return `${lines.join('\n')}\n`;
}

type Mapping = { readonly [key: string]: unknown };

function isMapping(value: unknown): value is Mapping {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

/** js-yaml's rendering of each scalar value, at the top level (block scalars indented by 2). */
const values = new Map<unknown, readonly string[]>();
/** js-yaml's rendering of each mapping key. */
const keys = new Map<string, string>();

/** The lines of a scalar: one, or a block scalar's header and its content lines. */
function scalarLines(value: string | number | boolean | null): readonly string[] {
  // A Map keys 0 and -0 alike, and js-yaml writes them apart.
  if (Object.is(value, -0)) return ['-0.0'];
  let known = values.get(value);
  if (known === undefined) {
    known = dump(value, OPTIONS).replace(/\n$/, '').split('\n');
    values.set(value, known);
  }
  return known;
}

function keyText(key: string): string | undefined {
  let known = keys.get(key);
  if (known === undefined) {
    // Multi-line and very long keys take js-yaml's explicit `? key` form: left to js-yaml.
    if (key.includes('\n') || key.length > 1024) return undefined;
    const text = dump({ [key]: null }, OPTIONS);
    known = text.slice(0, text.length - ': null\n'.length);
    keys.set(key, known);
  }
  return known;
}

function isScalar(value: unknown): value is string | number | boolean | null {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/**
 * Appends `value` after `lead` (`key:` or `-`) at column `col` of its owner. Returns false for
 * anything that is not plain JSON data.
 */
function writeEntry(lead: string, value: unknown, col: number, lines: string[], sequenceItem: boolean): boolean {
  const pad = ' '.repeat(col);
  if (isScalar(value)) {
    const [first, ...rest] = scalarLines(value);
    lines.push(`${pad}${lead} ${first}`);
    // A block scalar's content sits two columns in from its owner, as js-yaml writes it; its empty
    // lines stay empty.
    for (const line of rest) lines.push(line === '' ? '' : `${pad}${line}`);
    return true;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) {
      lines.push(`${pad}${lead} []`);
      return true;
    }
    // Nested two columns in, under a key (js-yaml's default) or after an outer dash.
    if (sequenceItem) return writeSequence(value, col + 2, lines, `${pad}${lead} `);
    lines.push(`${pad}${lead}`);
    return writeSequence(value, col + 2, lines);
  }
  if (isMapping(value)) {
    if (Object.keys(value).length === 0) {
      lines.push(`${pad}${lead} {}`);
      return true;
    }
    if (sequenceItem) return writeMapping(value, col + 2, lines, `${pad}${lead} `);
    lines.push(`${pad}${lead}`);
    return writeMapping(value, col + 2, lines);
  }
  return false;
}

/**
 * A mapping at column `col`. With `first`, the first entry continues that line (`- key: value`),
 * as js-yaml writes a mapping inside a sequence.
 */
function writeMapping(mapping: Mapping, col: number, lines: string[], first?: string): boolean {
  let pending = first;
  for (const key of Object.keys(mapping)) {
    const value = mapping[key];
    // js-yaml leaves out keys whose value it cannot write; JSON has no undefined.
    if (value === undefined) continue;
    const text = keyText(key);
    if (text === undefined) return false;
    const start = lines.length;
    if (!writeEntry(`${text}:`, value, col, lines, false)) return false;
    if (pending !== undefined) {
      lines[start] = pending + lines[start].slice(col);
      pending = undefined;
    }
  }
  return pending === undefined;
}

/** A sequence whose dashes stand at column `dashCol`; with `first`, its first item continues that line (`- - a`). */
function writeSequence(items: readonly unknown[], dashCol: number, lines: string[], first?: string): boolean {
  let pending = first;
  for (const item of items) {
    const start = lines.length;
    if (!writeEntry('-', item, dashCol, lines, true)) return false;
    if (pending !== undefined) {
      lines[start] = pending + lines[start].slice(dashCol);
      pending = undefined;
    }
  }
  return true;
}
