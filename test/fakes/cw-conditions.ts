/**
 * ConnectWise's `conditions` grammar, as the fake server understands it: comparisons (`= != < <= >
 * >= contains like in not`) on field paths (`company/id`, `_info/lastUpdated`), joined with and/or
 * and parentheses. Values are "…" or '…' strings, [dates], numbers, true/false and null. A bad value
 * answers the text ConnectWise itself sends.
 */

export const CW_VALUE_ERROR =
  'String values should be enclosed with double or single quotes; DateTime values should be enclosed ' +
  'in square brackets; numbers should consist of only digits, and optionally a decimal point and a ' +
  'negation sign; boolean values should be indicated with the keywords true or false; null values ' +
  'should be indicated by the keyword null.';

export class ConditionError extends Error {}

type Value = string | number | boolean | null | Date | Value[];
type Node =
  | { op: 'and' | 'or'; left: Node; right: Node }
  | { op: 'cmp'; path: string[]; cmp: string; value: Value; negate: boolean };

const OPERATORS = ['!=', '<=', '>=', '=', '<', '>'];
const WORD_OPERATORS = ['contains', 'like', 'in'];

class Parser {
  private i = 0;
  constructor(private readonly text: string) {}

  parse(): Node {
    const node = this.expression();
    this.space();
    if (this.i < this.text.length) throw new ConditionError(`Unexpected text at ${this.i}: ${this.rest()}`);
    return node;
  }

  private rest = () => this.text.slice(this.i, this.i + 20);
  private space() {
    while (this.i < this.text.length && /\s/.test(this.text[this.i] as string)) this.i++;
  }
  private keyword(word: string): boolean {
    this.space();
    const slice = this.text.slice(this.i, this.i + word.length);
    const after = this.text[this.i + word.length] ?? ' ';
    if (slice.toLowerCase() === word && /[\s(['"]/.test(after)) {
      this.i += word.length;
      return true;
    }
    return false;
  }

  private expression(): Node {
    let left = this.term();
    while (this.keyword('or')) left = { op: 'or', left, right: this.term() };
    return left;
  }
  private term(): Node {
    let left = this.factor();
    while (this.keyword('and')) left = { op: 'and', left, right: this.factor() };
    return left;
  }
  private factor(): Node {
    this.space();
    if (this.text[this.i] === '(') {
      this.i++;
      const inner = this.expression();
      this.space();
      if (this.text[this.i] !== ')') throw new ConditionError('Missing closing parenthesis');
      this.i++;
      return inner;
    }
    return this.comparison();
  }
  private comparison(): Node {
    this.space();
    const match = /^[A-Za-z_][A-Za-z0-9_]*(\/[A-Za-z_][A-Za-z0-9_]*)*/.exec(this.text.slice(this.i));
    if (!match) throw new ConditionError(`Expected a field name at: ${this.rest()}`);
    this.i += match[0].length;
    const path = match[0].split('/');
    const negate = this.keyword('not');
    this.space();
    let cmp = OPERATORS.find((op) => this.text.startsWith(op, this.i));
    if (cmp) this.i += cmp.length;
    else {
      cmp = WORD_OPERATORS.find((w) => this.keyword(w));
      if (!cmp) throw new ConditionError(`Expected an operator after ${match[0]}`);
    }
    this.space();
    const value = cmp === 'in' ? this.list() : this.value();
    return { op: 'cmp', path, cmp, value, negate };
  }
  private list(): Value[] {
    if (this.text[this.i] !== '(') throw new ConditionError(CW_VALUE_ERROR);
    this.i++;
    const values: Value[] = [];
    for (;;) {
      this.space();
      values.push(this.value());
      this.space();
      const c = this.text[this.i++];
      if (c === ')') return values;
      if (c !== ',') throw new ConditionError(CW_VALUE_ERROR);
    }
  }
  private value(): Value {
    const c = this.text[this.i];
    if (c === '"' || c === "'") {
      const end = this.text.indexOf(c, this.i + 1);
      if (end < 0) throw new ConditionError(CW_VALUE_ERROR);
      const s = this.text.slice(this.i + 1, end);
      this.i = end + 1;
      return s;
    }
    if (c === '[') {
      const end = this.text.indexOf(']', this.i);
      const d = new Date(this.text.slice(this.i + 1, end));
      if (end < 0 || Number.isNaN(d.getTime())) throw new ConditionError(CW_VALUE_ERROR);
      this.i = end + 1;
      return d;
    }
    const word = /^(-?\d+(\.\d+)?|true|false|null)(?=$|[\s)])/i.exec(this.text.slice(this.i));
    if (!word) throw new ConditionError(CW_VALUE_ERROR);
    this.i += word[0].length;
    const w = word[0].toLowerCase();
    if (w === 'true') return true;
    if (w === 'false') return false;
    if (w === 'null') return null;
    return Number(w);
  }
}

/** Reads a field by path; `lastUpdated` is a shortcut of `_info/lastUpdated`, as in ConnectWise. */
function read(record: Record<string, unknown>, path: string[]): unknown {
  const full = path.length === 1 && path[0] === 'lastUpdated' ? ['_info', 'lastUpdated'] : path;
  let value: unknown = record;
  for (const key of full) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function compare(actual: unknown, cmp: string, expected: Value): boolean {
  if (cmp === 'in') return (expected as Value[]).some((v) => compare(actual, '=', v));
  if (expected === null) return cmp === '=' ? actual == null : cmp === '!=' ? actual != null : false;
  let a: unknown = actual;
  let b: unknown = expected;
  if (expected instanceof Date) {
    a = typeof actual === 'string' ? new Date(actual).getTime() : NaN;
    b = expected.getTime();
  } else if (typeof expected === 'string' && typeof actual === 'string') {
    a = actual.toLowerCase();
    b = expected.toLowerCase();
  }
  switch (cmp) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return (a as number) < (b as number);
    case '<=':
      return (a as number) <= (b as number);
    case '>':
      return (a as number) > (b as number);
    case '>=':
      return (a as number) >= (b as number);
    case 'contains':
      return typeof a === 'string' && a.includes(String(b));
    case 'like': {
      const pattern = String(b)
        .replace(/[.+?^${}()|\\]/g, '\\$&')
        .replace(/%/g, '.*')
        .replace(/\*/g, '.*');
      return typeof a === 'string' && new RegExp(`^${pattern}$`).test(a);
    }
    default:
      return false;
  }
}

function evaluate(node: Node, record: Record<string, unknown>): boolean {
  if (node.op !== 'cmp') {
    const left = evaluate(node.left, record);
    return node.op === 'and' ? left && evaluate(node.right, record) : left || evaluate(node.right, record);
  }
  const result = compare(read(record, node.path), node.cmp, node.value);
  return node.negate ? !result : result;
}

/** A filter for records; throws ConditionError on text ConnectWise would refuse. */
export function parseConditions(text: string): (record: Record<string, unknown>) => boolean {
  const node = new Parser(text).parse();
  return (record) => evaluate(node, record);
}
