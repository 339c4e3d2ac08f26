import { AppError } from '../../platform/errors.ts';

export const kbArticleNotFound = () => new AppError('NOT_FOUND', 'Article not found');
export const kbTranslationNotFound = (locale: string) =>
  new AppError('NOT_FOUND', `The article has no ${locale} translation`);
export const kbVersionNotFound = (version: number) => new AppError('NOT_FOUND', `Version ${version} not found`);
export const kbCategoryNotFound = () => new AppError('NOT_FOUND', 'Category not found');
export const kbSectionNotFound = () => new AppError('NOT_FOUND', 'Section not found');
export const kbSlugTaken = (slug: string) => new AppError('ALREADY_EXISTS', `The slug "${slug}" is already used`);
export const kbVersionConflict = (current: number) =>
  new AppError('CONFLICT', 'Someone saved a newer version of this translation; reload it first', {
    details: { currentVersion: current },
  });
export const kbNeedsEditor = () =>
  new AppError(
    'FORBIDDEN',
    'Only knowledge-base editors (categories:manage) can publish, archive or change published articles',
  );
