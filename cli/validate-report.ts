import { type ValidateResult } from './validate-command';
import { UsageError } from './errors';

/** The formats `validate --format` prints. */
export const VALIDATE_FORMATS = ['text', 'json', 'sarif'] as const;
export type ValidateFormat = (typeof VALIDATE_FORMATS)[number];

export function validateFormat(value: string): ValidateFormat {
  const format = VALIDATE_FORMATS.find((f) => f === value);
  if (format === undefined) throw new UsageError(`--format ${value} is not a format of validate; fix: use one of ${VALIDATE_FORMATS.join(', ')}`);
  return format;
}

/**
 * The validate result as one document (docs/validate.md): `json` is the tool's own schema, `sarif`
 * SARIF 2.1.0 for code-scanning UIs, with one result per violation located at its file.
 * @see https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 */
export function renderValidate(result: ValidateResult, format: ValidateFormat): string {
  if (format === 'text') return result.lines.map((l) => `${l}\n`).join('');
  if (format === 'json') {
    return `${JSON.stringify({
      valid: result.violations.length === 0,
      violations: result.violations.map((v) => ({ file: v.file, object: v.object, rule: v.rule, message: v.message, fix: v.fix })),
      waived: result.waived.map((v) => ({ file: v.file, object: v.object, rule: v.rule, message: v.message, reason: v.reason })),
    }, null, 2)}\n`;
  }
  const rules = [...new Set(result.violations.map((v) => v.rule))].sort();
  return `${JSON.stringify({
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [{
      tool: { driver: { name: 'platform-validate', rules: rules.map((id) => ({ id })) } },
      results: result.violations.map((v) => ({
        ruleId: v.rule,
        level: 'error',
        message: { text: `${v.object}: ${v.message}; fix: ${v.fix}` },
        locations: [{ physicalLocation: { artifactLocation: { uri: v.file } } }],
      })),
    }],
  }, null, 2)}\n`;
}
