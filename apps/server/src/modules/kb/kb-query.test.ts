import { describe, expect, it } from 'vitest';
import { lightStem, planQuery, wordMatches } from './kb-query.ts';

describe('planQuery', () => {
  it('drops stopwords and builds one quoted tsquery unit per word', () => {
    const plan = planQuery('How can I get a refund?');
    expect(plan.units.map((u) => u.term)).toEqual(['get', 'refund']);
    expect(plan.units[1]?.tsquery).toContain("'refund':*");
  });

  it('adds a light stem for inflected Hindi and Bengali words', () => {
    expect(lightStem('लड़कों'.normalize('NFC').replace('\u093C', ''))).toBe('लडक');
    expect(lightStem('অর্ডারের')).toBe('অর্ডার');
    expect(lightStem('refunds')).toBe('refund');
  });

  it('never lets quotes or tsquery operators through', () => {
    const plan = planQuery("o'brien & !(x) | y:*");
    for (const u of plan.units) expect(u.tsquery).not.toMatch(/[&!()]|[^']:\*[^']|''(?!')/);
  });

  it('adds a sound key for Latin words so romanised Hindi finds Devanagari', () => {
    const plan = planQuery('order kab aayega');
    const kab = plan.units.find((u) => u.term === 'kab');
    expect(kab?.tsquery).toContain("'qkb'");
    expect(kab && wordMatches(kab, 'कब')).toBe(true);
  });

  it('keeps a query made only of stopwords', () => {
    expect(planQuery('the').units.map((u) => u.term)).toEqual(['the']);
  });
});
