/** A node of the subset of Terraform expressions cdktf writes inside `${...}`. */
export type Expression =
  | { readonly type: 'reference'; readonly parts: readonly string[] }
  | { readonly type: 'call'; readonly name: string; readonly args: readonly Expression[] }
  | { readonly type: 'list'; readonly items: readonly Expression[] }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'number'; readonly value: number };

/** One piece of a template string: plain text or the source of one `${...}` interpolation. */
export type TemplatePart = { readonly text: string } | { readonly expression: string };

/**
 * Splits a string into literal text and `${...}` interpolations (braces and quoted strings inside
 * an interpolation are balanced). `$${` is Terraform's escape for a literal `${`.
 */
export function splitTemplate(input: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = '';
  let index = 0;
  while (index < input.length) {
    if (input.startsWith('$${', index)) {
      text += '${';
      index += 3;
    } else if (input.startsWith('${', index)) {
      const end = closingBrace(input, index + 2);
      if (end < 0) {
        text += input.slice(index);
        break;
      }
      if (text) parts.push({ text });
      text = '';
      parts.push({ expression: input.slice(index + 2, end) });
      index = end + 1;
    } else {
      text += input[index];
      index += 1;
    }
  }
  if (text) parts.push({ text });
  return parts;
}

function closingBrace(input: string, start: number): number {
  let depth = 0;
  let quoted = false;
  for (let index = start; index < input.length; index++) {
    const char = input[index];
    if (quoted) {
      if (char === '\\') index += 1;
      else if (char === '"') quoted = false;
    } else if (char === '"') {
      quoted = true;
    } else if (char === '{') {
      depth += 1;
    } else if (char === '}') {
      if (depth === 0) return index;
      depth -= 1;
    }
  }
  return -1;
}

type Token = { readonly kind: 'name' | 'number' | 'string' | 'punct'; readonly text: string };

const TOKEN_PATTERN = /\s*(?:([A-Za-z_][A-Za-z0-9_-]*)|(\d+(?:\.\d+)?)|"((?:[^"\\]|\\.)*)"|([()[\],.*]))/y;

function tokenize(source: string): Token[] | undefined {
  const tokens: Token[] = [];
  TOKEN_PATTERN.lastIndex = 0;
  while (TOKEN_PATTERN.lastIndex < source.length) {
    if (/^\s*$/.test(source.slice(TOKEN_PATTERN.lastIndex))) break;
    const match = TOKEN_PATTERN.exec(source);
    if (!match) return undefined;
    if (match[1] !== undefined) tokens.push({ kind: 'name', text: match[1] });
    else if (match[2] !== undefined) tokens.push({ kind: 'number', text: match[2] });
    else if (match[3] !== undefined) tokens.push({ kind: 'string', text: JSON.parse(`"${match[3]}"`) });
    else tokens.push({ kind: 'punct', text: match[4] });
  }
  return tokens;
}

/** Parses the source of one interpolation; undefined when it uses syntax outside the supported subset. */
export function parseExpression(source: string): Expression | undefined {
  const tokens = tokenize(source);
  if (!tokens) return undefined;
  const parser = new ExpressionParser(tokens);
  const expression = parser.expression();
  return expression && parser.atEnd() ? expression : undefined;
}

class ExpressionParser {
  private position = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  public atEnd(): boolean {
    return this.position === this.tokens.length;
  }

  public expression(): Expression | undefined {
    const token = this.tokens[this.position];
    if (!token) return undefined;
    if (token.kind === 'string') return this.advance({ type: 'string', value: token.text });
    if (token.kind === 'number') return this.advance({ type: 'number', value: Number(token.text) });
    if (token.kind === 'punct' && token.text === '[') return this.list();
    if (token.kind === 'name') return this.peek(1, '(') ? this.call(token.text) : this.reference();
    return undefined;
  }

  private list(): Expression | undefined {
    this.position += 1;
    const items = this.sequence(']');
    return items && { type: 'list', items };
  }

  private call(name: string): Expression | undefined {
    this.position += 2;
    const args = this.sequence(')');
    return args && { type: 'call', name, args };
  }

  private sequence(close: string): Expression[] | undefined {
    const items: Expression[] = [];
    while (!this.peek(0, close)) {
      const item = this.expression();
      if (!item) return undefined;
      items.push(item);
      if (this.peek(0, ',')) this.position += 1;
      else if (!this.peek(0, close)) return undefined;
    }
    this.position += 1;
    return items;
  }

  private reference(): Expression | undefined {
    const parts = [this.tokens[this.position].text];
    this.position += 1;
    while (this.peek(0, '.') || this.peek(0, '[')) {
      const opener = this.tokens[this.position].text;
      const next = this.tokens[this.position + 1];
      if (!next) return undefined;
      if (opener === '.' && (next.kind === 'name' || next.kind === 'number' || next.text === '*')) {
        parts.push(next.text);
        this.position += 2;
      } else if (opener === '[' && (next.kind === 'number' || next.kind === 'string' || next.text === '*') && this.peek(2, ']')) {
        parts.push(next.text);
        this.position += 3;
      } else {
        return undefined;
      }
    }
    return { type: 'reference', parts };
  }

  private peek(offset: number, text: string): boolean {
    const token = this.tokens[this.position + offset];
    return token !== undefined && token.kind === 'punct' && token.text === text;
  }

  private advance(expression: Expression): Expression {
    this.position += 1;
    return expression;
  }
}
