import { describe, expect, it } from 'vitest';
import { cleanTranslations, customFieldProblems, keyFromLabel, nextPosition, toOptions } from './config-form.ts';

describe('custom field form', () => {
  it('derives an API key from an English label', () => {
    expect(keyFromLabel('Order number')).toBe('order_number');
    expect(keyFromLabel('  2nd Product (SKU) ')).toBe('nd_product_sku');
  });

  it('leaves the key empty when the label has no Latin letters, so the admin types one', () => {
    expect(keyFromLabel('অর্ডার নম্বর')).toBe('');
  });

  it('refuses a dropdown without choices, with an empty value, or with a value used twice', () => {
    const base = { key: 'product', label: 'Product', fieldType: 'dropdown' as const };
    expect(customFieldProblems({ ...base, options: [] })).toEqual([{ field: 'options', problem: 'none' }]);
    const opts = [
      { rowId: '1', value: 'a', label: 'A', bn: '', hi: '' },
      { rowId: '2', value: ' ', label: 'B', bn: '', hi: '' },
      { rowId: '3', value: 'a', label: 'C', bn: '', hi: '' },
    ];
    expect(customFieldProblems({ ...base, options: opts })).toEqual([
      { field: 'options', problem: 'emptyValue', index: 1 },
      { field: 'options', problem: 'duplicate', index: 2 },
    ]);
  });

  it('refuses a key the server would refuse', () => {
    expect(customFieldProblems({ key: 'Order-No', label: 'x', fieldType: 'text', options: [] })).toEqual([
      { field: 'key', problem: 'pattern' },
    ]);
    expect(customFieldProblems({ key: '', label: ' ', fieldType: 'text', options: [] })).toEqual([
      { field: 'key', problem: 'required' },
      { field: 'label', problem: 'required' },
    ]);
  });

  it('sends options only for dropdowns, with the value as the label when none is given', () => {
    const drafts = [{ rowId: '1', value: ' gold ', label: '', bn: 'সোনা', hi: ' ' }];
    expect(toOptions('text', drafts)).toEqual([]);
    expect(toOptions('dropdown', drafts)).toEqual([{ value: 'gold', label: 'gold', translations: { bn: 'সোনা' } }]);
  });
});

describe('config helpers', () => {
  it('drops empty translations', () => {
    expect(cleanTranslations({ bn: '  ', hi: 'बिलिंग ' })).toEqual({ hi: 'बिलिंग' });
  });

  it('places a new entry after the last one', () => {
    expect(nextPosition([])).toBe(0);
    expect(nextPosition([{ position: 5 }, { position: 20 }])).toBe(30);
  });
});
