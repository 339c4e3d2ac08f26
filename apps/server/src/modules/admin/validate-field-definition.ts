import type { CustomFieldOption, CustomFieldType } from '@seva/contracts';
import type { FieldProblem } from '../../platform/errors.ts';

/**
 * Rules for a custom field definition (pure): dropdowns need at least one option with distinct values; other types
 * take no options.
 */
export function fieldDefinitionProblems(
  fieldType: CustomFieldType,
  options: readonly CustomFieldOption[],
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (fieldType === 'dropdown') {
    if (options.length === 0) problems.push({ path: 'options', message: 'a dropdown needs at least one option' });
    const seen = new Set<string>();
    options.forEach((o, i) => {
      if (seen.has(o.value))
        problems.push({ path: `options.${i}.value`, message: `the value "${o.value}" is used twice` });
      seen.add(o.value);
    });
  } else if (options.length > 0) {
    problems.push({ path: 'options', message: `only dropdown fields have options, not ${fieldType} fields` });
  }
  return problems;
}
