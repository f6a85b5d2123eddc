/**
 * PostgreSQL text cannot hold U+0000: a parameter with it fails the whole statement ("invalid byte sequence"), so one
 * NUL typed into a form or sent in a WhatsApp message would turn into a 500 and a lost message. This plugin replaces
 * it with U+FFFD (the replacement character) in every string parameter, on PostgreSQL and PGlite alike, so the rest
 * of the text is stored. Found by test/fuzz.test.ts. Parameters only: JSON made with JSON.stringify carries NUL and lone
 * surrogates as escapes, so parsed input bound for jsonb goes through storableJson first.
 */
import {
  OperationNodeTransformer,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type PrimitiveValueListNode,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
  type ValueNode,
} from 'kysely';

// eslint-disable-next-line no-control-regex -- NUL is exactly what this pattern is for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The text as PostgreSQL stores it: NUL and lone surrogates (which JSON escapes such as "\ud800" can carry, and which
 * jsonb refuses) become U+FFFD. For input compared with stored values or kept inside JSON.
 */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE, '\uFFFD');
}

/** Every string inside a parsed JSON value, made storable. */
export function storableJson(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(storableJson);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableText(k), storableJson(v)]));
  return value;
}

function clean(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(clean);
  return value;
}

class NulTransformer extends OperationNodeTransformer {
  protected override transformValue(node: ValueNode): ValueNode {
    return super.transformValue({ ...node, value: clean(node.value) });
  }

  protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
    return super.transformPrimitiveValueList({ ...node, values: node.values.map(clean) });
  }
}

export class NoNulCharacters implements KyselyPlugin {
  readonly #transformer = new NulTransformer();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(args.node);
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}
