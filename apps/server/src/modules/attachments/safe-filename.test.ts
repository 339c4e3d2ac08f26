import { describe, expect, it } from 'vitest';
import { contentDisposition, normaliseContentType, sanitiseFilename, servedContentType } from './safe-filename.ts';

describe('sanitiseFilename', () => {
  it('drops directory parts so a name can never point elsewhere', () => {
    expect(sanitiseFilename('../../etc/passwd')).toBe('passwd');
    expect(sanitiseFilename('..\\..\\windows\\system.ini')).toBe('system.ini');
    expect(sanitiseFilename('/var/www/shell.php')).toBe('shell.php');
    expect(sanitiseFilename('..')).toBe('attachment');
  });

  it('removes control characters, bidi overrides and leading dots', () => {
    expect(sanitiseFilename('inv\u0000oice\r\n.pdf')).toBe('invoice.pdf');
    expect(sanitiseFilename('photo\u202Egpj.exe')).toBe('photogpj.exe');
    expect(sanitiseFilename('.htaccess')).toBe('htaccess');
    expect(sanitiseFilename('a<b>"c".txt')).toBe('a_b__c_.txt');
    expect(sanitiseFilename('')).toBe('attachment');
    expect(sanitiseFilename(null)).toBe('attachment');
  });

  it('keeps Bengali and Hindi names and shortens long ones keeping the extension', () => {
    expect(sanitiseFilename('চালান ১২.pdf')).toBe('চালান ১২.pdf');
    const long = sanitiseFilename(`${'ক'.repeat(300)}.pdf`);
    expect([...long].length).toBe(200);
    expect(long.endsWith('.pdf')).toBe(true);
  });
});

describe('contentDisposition', () => {
  it('always says attachment with an ASCII fallback and an RFC 5987 UTF-8 name', () => {
    expect(contentDisposition('চালান.pdf')).toBe(
      `attachment; filename="_____.pdf"; filename*=UTF-8''${encodeURIComponent('চালান.pdf')}`,
    );
    expect(contentDisposition('a "quoted"\r\nX-Evil: 1.txt')).toBe(
      `attachment; filename="a _quoted_X-Evil_ 1.txt"; filename*=UTF-8''a%20_quoted_X-Evil_%201.txt`,
    );
  });
});

describe('content types', () => {
  it('never serves markup or scripts as themselves', () => {
    for (const t of [
      'text/html',
      'image/svg+xml',
      'application/xml',
      'text/xml',
      'application/xhtml+xml',
      'text/javascript',
      'application/javascript',
      'TEXT/HTML; charset=utf-8',
      'multipart/related',
    ]) {
      expect(servedContentType(t), t).toBe('application/octet-stream');
    }
    expect(servedContentType('image/png')).toBe('image/png');
    expect(servedContentType('application/pdf')).toBe('application/pdf');
  });

  it('stores only well-formed types', () => {
    expect(normaliseContentType('Image/PNG; name=x')).toBe('image/png');
    expect(normaliseContentType('not a type')).toBe('application/octet-stream');
    expect(normaliseContentType('text/plain\r\nX: y')).toBe('application/octet-stream');
    expect(normaliseContentType(undefined)).toBe('application/octet-stream');
  });
});
