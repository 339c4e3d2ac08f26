import type { FastifySerializerCompiler } from 'fastify/types/schema.js';
import { ResponseSerializationError } from 'fastify-type-provider-zod';
import { isDeepStrictEqual } from 'node:util';
import { $ZodType, safeEncode, safeParse } from 'zod/v4/core';

/**
 * Every response goes through its route's zod schema before it is sent: a field the schema does not name is dropped
 * (nothing leaks that a DTO forgot to leave out) and a value of the wrong shape is a 500, never a malformed answer.
 *
 * fastify-type-provider-zod does this with `safeEncode`, which runs codecs backwards — and costs 1.6× `safeParse` on
 * schemas that have none (219 vs 137 µs for a page of 50 inbox rows; JSON.stringify of the same page is 73 µs). For a
 * schema with nothing that runs one way only — no transform, pipe (codecs are pipes), default, prefault or catch,
 * anywhere inside it — encoding and parsing are the same function, so those routes parse; any other keeps encoding.
 * Under test (`verify`) every response is also encoded and the two compared, so the whole suite checks the rule.
 */
export function createResponseSerializer(opts: { verify: boolean }): FastifySerializerCompiler<unknown> {
  return ({ schema: maybeSchema, method, url }) => {
    const schema = resolveSchema(maybeSchema);
    const oneWay = hasOneWayParts(schema);
    return (data) => {
      const result = oneWay ? safeEncode(schema, data) : safeParse(schema, data);
      if (result.error) throw new ResponseSerializationError(method, url, { cause: result.error });
      if (opts.verify && !oneWay) {
        const encoded = safeEncode(schema, data);
        if (encoded.error || !isDeepStrictEqual(encoded.data, result.data)) {
          throw new Error(`response of ${method} ${url}: parsing and encoding disagree (response-serializer.ts)`);
        }
      }
      return JSON.stringify(result.data);
    };
  };
}

function resolveSchema(maybeSchema: unknown): $ZodType {
  if (maybeSchema instanceof $ZodType) return maybeSchema;
  const properties = (maybeSchema as { properties?: unknown } | null)?.properties;
  if (properties instanceof $ZodType) return properties;
  throw new Error(`a response schema that is not a zod schema: ${JSON.stringify(maybeSchema)}`);
}

const ONE_WAY = new Set(['transform', 'pipe', 'default', 'prefault', 'catch', 'success', 'custom', 'promise']);

type Def = {
  type: string;
  shape?: Record<string, $ZodType>;
  element?: $ZodType;
  innerType?: $ZodType;
  options?: $ZodType[];
  keyType?: $ZodType;
  valueType?: $ZodType;
  left?: $ZodType;
  right?: $ZodType;
  items?: $ZodType[];
  rest?: $ZodType | null;
  catchall?: $ZodType;
  getter?: () => $ZodType;
};

/** Whether anything in `schema` parses differently from how it encodes (or might: unknown kinds count as yes). */
export function hasOneWayParts(schema: $ZodType, seen = new Set<$ZodType>()): boolean {
  if (seen.has(schema)) return false;
  seen.add(schema);
  const def = (schema as unknown as { _zod: { def: Def } })._zod.def;
  if (ONE_WAY.has(def.type)) return true;
  const inner = (s: $ZodType | null | undefined) => (s ? hasOneWayParts(s, seen) : false);
  switch (def.type) {
    case 'string':
    case 'number':
    case 'int':
    case 'boolean':
    case 'bigint':
    case 'null':
    case 'undefined':
    case 'void':
    case 'unknown':
    case 'any':
    case 'never':
    case 'enum':
    case 'literal':
    case 'date':
    case 'nan':
    case 'template_literal':
    case 'file':
    case 'symbol':
      return false;
    case 'object':
      return Object.values(def.shape ?? {}).some((s) => inner(s)) || inner(def.catchall);
    case 'array':
      return inner(def.element);
    case 'optional':
    case 'nullable':
    case 'nonoptional':
    case 'readonly':
      return inner(def.innerType);
    case 'union':
      return (def.options ?? []).some((s) => inner(s));
    case 'record':
    case 'map':
      return inner(def.keyType) || inner(def.valueType);
    case 'set':
      return inner(def.valueType);
    case 'intersection':
      return inner(def.left) || inner(def.right);
    case 'tuple':
      return (def.items ?? []).some((s) => inner(s)) || inner(def.rest);
    case 'lazy':
      return def.getter ? inner(def.getter()) : true;
    default:
      return true;
  }
}
