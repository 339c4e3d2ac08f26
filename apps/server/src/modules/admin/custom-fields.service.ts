import type {
  CreateCustomFieldBody,
  CustomField,
  CustomFieldOption,
  CustomFieldType,
  DeleteConfigResult,
  UpdateCustomFieldBody,
} from '@seva/contracts';
import { sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, notFound, validationFailed } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import { isUniqueViolation } from '../customers/index.ts';
import { cleanTranslations, iso, rows } from './admin.shared.ts';
import { fieldDefinitionProblems } from './validate-field-definition.ts';

type ServiceDeps = Pick<Deps, 'db'>;

interface FieldRow {
  id: string;
  key: string;
  label: string;
  translations: Record<string, string>;
  field_type: CustomFieldType;
  options: CustomFieldOption[];
  is_required: boolean;
  position: number;
  is_active: boolean;
  created_at: Date;
}

function cleanOptions(options: readonly CustomFieldOption[]): CustomFieldOption[] {
  return options.map((o) => {
    const translations = cleanTranslations(o.translations);
    return { value: o.value, label: o.label, ...(Object.keys(translations).length > 0 ? { translations } : {}) };
  });
}

function toField(r: FieldRow): CustomField {
  return {
    id: r.id,
    key: r.key,
    label: r.label,
    translations: cleanTranslations(r.translations),
    fieldType: r.field_type,
    options: cleanOptions(r.options ?? []),
    isRequired: r.is_required,
    position: r.position,
    isActive: r.is_active,
    createdAt: iso(r.created_at),
  };
}

export async function listCustomFields(
  deps: ServiceDeps,
  opts: { includeInactive: boolean },
): Promise<{ items: CustomField[] }> {
  const found = await rows<FieldRow>(
    deps.db,
    sql`SELECT * FROM custom_fields ${opts.includeInactive ? sql`` : sql`WHERE is_active`} ORDER BY position, created_at, id`,
  );
  return { items: found.map(toField) };
}

async function getField(db: DbOrTx, id: string, lock = false): Promise<CustomField> {
  const [row] = await rows<FieldRow>(
    db,
    sql`SELECT * FROM custom_fields WHERE id = ${id} ${lock ? sql`FOR UPDATE` : sql``}`,
  );
  if (!row) throw notFound('Custom field');
  return toField(row);
}

function keyTaken(err: unknown, key?: string): never {
  if (isUniqueViolation(err))
    throw new AppError('ALREADY_EXISTS', `A custom field with the key ${key ?? ''} already exists`.trim());
  throw err;
}

export async function createCustomField(
  deps: ServiceDeps,
  opts: { actor: Actor; body: CreateCustomFieldBody },
): Promise<CustomField> {
  const { body } = opts;
  const options = cleanOptions(body.options ?? []);
  const problems = fieldDefinitionProblems(body.fieldType, options);
  if (problems.length > 0) throw validationFailed(problems);
  try {
    return await deps.db.transaction(async (tx) => {
      const [clash] = await rows(tx, sql`SELECT 1 FROM custom_fields WHERE key = ${body.key}`);
      if (clash) throw new AppError('ALREADY_EXISTS', `A custom field with the key ${body.key} already exists`);
      const [row] = await rows<{ id: string }>(
        tx,
        sql`INSERT INTO custom_fields (key, label, translations, field_type, options, is_required, position, is_active)
            VALUES (${body.key}, ${body.label}, ${JSON.stringify(cleanTranslations(body.translations))}::jsonb, ${body.fieldType},
              ${JSON.stringify(options)}::jsonb, ${body.isRequired ?? false},
              COALESCE(${body.position ?? null}::int, (SELECT COALESCE(max(position) + 1, 0) FROM custom_fields)),
              ${body.isActive ?? true})
            RETURNING id`,
      );
      if (!row) throw new Error('custom field insert returned nothing');
      await recordEvent(tx, {
        type: 'custom_field.created',
        actor: opts.actor,
        payload: { fieldId: row.id, key: body.key, fieldType: body.fieldType },
      });
      return getField(tx, row.id);
    });
  } catch (err) {
    return keyTaken(err, body.key);
  }
}

/** Everything but the key may change (the key is how API clients and stored tickets refer to the field). */
export async function updateCustomField(
  deps: ServiceDeps,
  opts: { actor: Actor; id: string; body: UpdateCustomFieldBody },
): Promise<CustomField> {
  const { body } = opts;
  return deps.db.transaction(async (tx) => {
    const before = await getField(tx, opts.id, true);
    if (body.key !== undefined && body.key !== before.key) {
      throw validationFailed(
        [{ path: 'key', message: 'the key cannot change once the field exists' }],
        'The key of a custom field cannot be changed',
      );
    }
    const fieldType = body.fieldType ?? before.fieldType;
    // leaving the dropdown type drops its options; anything else keeps them unless new ones are sent
    const options = cleanOptions(body.options ?? (fieldType === 'dropdown' ? before.options : []));
    const problems = fieldDefinitionProblems(fieldType, options);
    if (problems.length > 0) throw validationFailed(problems);
    const sets = [];
    if (body.label !== undefined) sets.push(sql`label = ${body.label}`);
    if (body.translations !== undefined)
      sets.push(sql`translations = ${JSON.stringify(cleanTranslations(body.translations))}::jsonb`);
    if (body.fieldType !== undefined) sets.push(sql`field_type = ${body.fieldType}`);
    if (body.options !== undefined || fieldType !== before.fieldType)
      sets.push(sql`options = ${JSON.stringify(options)}::jsonb`);
    if (body.isRequired !== undefined) sets.push(sql`is_required = ${body.isRequired}`);
    if (body.position !== undefined) sets.push(sql`position = ${body.position}`);
    if (body.isActive !== undefined) sets.push(sql`is_active = ${body.isActive}`);
    if (sets.length > 0) {
      await tx.execute(sql`UPDATE custom_fields SET ${sql.join(sets, sql`, `)} WHERE id = ${opts.id}`);
      await recordEvent(tx, {
        type: 'custom_field.updated',
        actor: opts.actor,
        payload: { fieldId: opts.id, key: before.key, fields: Object.keys(body).filter((k) => k !== 'key') },
      });
    }
    return getField(tx, opts.id);
  });
}

/** A field some ticket holds a value for is deactivated instead, so that value stays readable. */
export async function deleteCustomField(
  deps: ServiceDeps,
  opts: { actor: Actor; id: string },
): Promise<DeleteConfigResult> {
  return deps.db.transaction(async (tx) => {
    const field = await getField(tx, opts.id, true);
    const [used] = await rows(tx, sql`SELECT 1 FROM tickets WHERE custom_fields ? ${field.key} LIMIT 1`);
    if (used) {
      await tx.execute(sql`UPDATE custom_fields SET is_active = false WHERE id = ${opts.id}`);
      await recordEvent(tx, {
        type: 'custom_field.deactivated',
        actor: opts.actor,
        payload: { fieldId: opts.id, key: field.key },
      });
      return { outcome: 'deactivated' as const };
    }
    await tx.execute(sql`DELETE FROM custom_fields WHERE id = ${opts.id}`);
    await recordEvent(tx, {
      type: 'custom_field.deleted',
      actor: opts.actor,
      payload: { fieldId: opts.id, key: field.key },
    });
    return { outcome: 'deleted' as const };
  });
}
