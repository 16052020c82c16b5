import { renderValidate, validateFormat } from '../../cli/validate-report';
import { type ValidateResult } from '../../cli/validate-command';

const result: ValidateResult = {
  lines: ['kubernetes/prod/ingress-admin.yaml: Ingress/admin: [public-exposure] names no ingress class; fix: set it', 'invalid: 3 file(s) of a fresh synth, 1 violation(s)'],
  violations: [{ file: 'kubernetes/prod/ingress-admin.yaml', object: 'Ingress/admin', rule: 'public-exposure', message: 'names no ingress class', fix: 'set it' }],
  waived: [{ file: 'kubernetes/dev/deployment-web.yaml', object: 'Deployment/web', rule: 'pdb', message: 'has no budget', fix: 'add one', reason: 'one replica in dev' }],
  exitCode: 1,
};

describe('validate --format', () => {
  test('text prints the lines', () => {
    expect(renderValidate(result, 'text')).toBe(`${result.lines.join('\n')}\n`);
  });

  test('json is one document: whether valid, each violation with file, object, rule, message and fix, and the waived ones with their reason', () => {
    expect(JSON.parse(renderValidate(result, 'json'))).toEqual({
      valid: false,
      violations: [{ file: 'kubernetes/prod/ingress-admin.yaml', object: 'Ingress/admin', rule: 'public-exposure', message: 'names no ingress class', fix: 'set it' }],
      waived: [{ file: 'kubernetes/dev/deployment-web.yaml', object: 'Deployment/web', rule: 'pdb', message: 'has no budget', reason: 'one replica in dev' }],
    });
  });

  test('sarif 2.1.0: one error result per violation at its file, the rules listed once', () => {
    const sarif = JSON.parse(renderValidate(result, 'sarif')) as { version: string; runs: { tool: { driver: { rules: unknown[] } }; results: unknown[] }[] };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].tool.driver.rules).toEqual([{ id: 'public-exposure' }]);
    expect(sarif.runs[0].results).toEqual([{
      ruleId: 'public-exposure', level: 'error',
      message: { text: 'Ingress/admin: names no ingress class; fix: set it' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'kubernetes/prod/ingress-admin.yaml' } } }],
    }]);
  });

  test('an unknown format is a usage error naming the formats', () => {
    expect(() => validateFormat('xml')).toThrow('--format xml is not a format of validate; fix: use one of text, json, sarif');
  });
});
