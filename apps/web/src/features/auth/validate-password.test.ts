import { describe, expect, it } from 'vitest';
import { isEmail, passwordProblem, passwordStrength } from './validate-password.ts';

describe('passwordProblem', () => {
  it('refuses a password shorter than ten characters', () => {
    expect(passwordProblem('123456789')).toBe('tooShort');
    expect(passwordProblem('1234567890')).toBeNull();
  });

  it('counts characters, so a Bengali or Hindi passphrase is measured fairly', () => {
    expect(passwordProblem('আমার সোনার বাংলা')).toBeNull();
  });

  it('refuses a confirmation that differs', () => {
    expect(passwordProblem('correct horse battery', 'correct horse batterY')).toBe('mismatch');
    expect(passwordProblem('correct horse battery', 'correct horse battery')).toBeNull();
  });

  it('refuses an overlong password', () => {
    expect(passwordProblem('x'.repeat(257))).toBe('tooLong');
  });
});

describe('isEmail', () => {
  it('accepts ordinary addresses and refuses obvious mistakes', () => {
    expect(isEmail('asha@example.com')).toBe(true);
    expect(isEmail(' asha@example.com ')).toBe(true);
    expect(isEmail('asha@example')).toBe(false);
    expect(isEmail('asha example.com')).toBe(false);
  });
});

describe('passwordStrength', () => {
  it('scores short passwords zero and long passphrases high', () => {
    expect(passwordStrength('abc')).toBe(0);
    expect(passwordStrength('aaaaaaaaaaaa')).toBe(1);
    expect(passwordStrength('lettersonly')).toBe(1);
    expect(passwordStrength('correct horse battery staple')).toBe(4);
  });

  it('gives a Bengali passphrase the same credit as an English one', () => {
    expect(passwordStrength('আমার সোনার বাংলা আমি তোমায়')).toBeGreaterThanOrEqual(3);
  });
});
