import { describe, expect, it } from 'vitest';
import { fieldDefinitionProblems } from './validate-field-definition.ts';

describe('custom field definitions', () => {
  it('requires at least one option for a dropdown', () => {
    expect(fieldDefinitionProblems('dropdown', [])).toEqual([
      { path: 'options', message: 'a dropdown needs at least one option' },
    ]);
  });

  it('refuses the same option value twice', () => {
    const problems = fieldDefinitionProblems('dropdown', [
      { value: 'a', label: 'A' },
      { value: 'a', label: 'Again' },
    ]);
    expect(problems.map((p) => p.path)).toEqual(['options.1.value']);
  });

  it('refuses options on a field that is not a dropdown', () => {
    expect(fieldDefinitionProblems('text', [{ value: 'a', label: 'A' }])[0]?.path).toBe('options');
    expect(fieldDefinitionProblems('checkbox', [])).toEqual([]);
  });
});
