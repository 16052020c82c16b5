import { dump, load } from 'js-yaml';
import { toYaml } from '../../lib/engine/yaml';
import { synthPlatform } from '../../lib/pipeline/synth';
import { fixturePlatform } from '../fixtures/shop/platform';

const jsYaml = (o: unknown): string => dump(o, { lineWidth: -1, noRefs: true });

describe('toYaml writes exactly what js-yaml writes', () => {
  test.each([
    ['block scalars: kept, stripped and indented content, empty lines', { a: { b: 'line1\nline2\n', c: 'x\ny', d: '  lead\nx', p: 'trail\n\n' } }],
    ['nesting: mappings in sequences, sequences in sequences, empty ones', { e: [{ f: 'm\nn', g: [1, [2, [3]], {}, []] }], h: {}, i: [], j: [['a', 'b'], [], [{ x: 1, y: [2] }]], r: [{}] }],
    ['scalars YAML 1.1 would misread, and numbers', { on: 'yes', n: 'no', v: ['on', 'off', 'y', '1.0', '0x1F', '~', 'null', 'true'], num: [0, -0, 0.5, 1e21, -3] }],
    ['strings that need quotes', { k: '', l: 'a: b', m: '#x', o: 'tab\there', q: '\u0007bell', s: [' lead', 'trail ', '@at', '`tick', "it's", 'a"b', '%p', '- dash', 'é'] }],
    ['keys that need quotes', { 'key with space': 1, 'x:y': 2, '': 3, '123': 'four', '- dash': null }],
  ])('%s', (_, object) => {
    expect(toYaml(object)).toBe(jsYaml(object));
  });

  test('every object of a synthesized platform', () => {
    const files = synthPlatform(fixturePlatform(), [], ['kubernetes']).files;
    expect(files.length).toBeGreaterThan(100);
    for (const file of files) {
      const object = load(file.content);
      expect({ path: file.path, yaml: toYaml(object) }).toEqual({ path: file.path, yaml: jsYaml(object) });
    }
  });

  test('what is not plain JSON data goes to js-yaml whole', () => {
    const odd = { when: new Date(0), list: [undefined, 1] };
    expect(toYaml(odd)).toBe(jsYaml(odd));
    expect(toYaml(['top', 'level'])).toBe(jsYaml(['top', 'level']));
    expect(toYaml({})).toBe(jsYaml({}));
  });
});
