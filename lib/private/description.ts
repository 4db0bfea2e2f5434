/** AWS's limit on `aws_security_group.description` and on a security group rule's description. */
export const AWS_DESCRIPTION_MAX = 255;

/** Azure's limit on `azurerm_network_security_rule.description` (the provider counts UTF-8 bytes). */
export const AZURE_RULE_DESCRIPTION_MAX = 140;

/**
 * What AWS accepts in security group and rule descriptions (CreateSecurityGroup API:
 * `a-zA-Z0-9 ._-:/()#,@[]+=&;{}!$*`). The provider checks only the length, so anything else fails
 * at apply, not at plan.
 */
const AWS_DESCRIPTION_REJECTED = /[^A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]+/g;

/**
 * A text made fit for an AWS description: accented letters lose their accents (`é` to `e`), every
 * run of other characters AWS rejects (quotes, `?`, `<>`, line breaks, other scripts) becomes one
 * space, and the result is cut to `max` characters. `fallback` stands in when nothing is left
 * (AWS rejects an empty group description).
 */
export function awsDescription(text: string, fallback: string, max: number = AWS_DESCRIPTION_MAX): string {
  const sanitized = withoutAccents(text).replace(AWS_DESCRIPTION_REJECTED, ' ').replace(/ {2,}/g, ' ');
  const cut = cutOutsideTokens(sanitized.trim(), max).trimEnd();
  return cut.length > 0 ? cut : fallback;
}

/** A Terraform expression inside a string, as cdktf writes it until synthesis resolves it. */
const STRING_TOKEN = /\$\{TfToken\[[^\]]*\]\}/g;

/**
 * The text cut to at most `max` (counted by `size`, one character at a time) without cutting
 * into a Terraform expression it holds: an expression before the cut is kept whole and counts
 * nothing (its value is known only at apply), one after it is left out with the rest. Cutting
 * into one would leave an unclosed `${` that Terraform cannot parse.
 */
export function cutOutsideTokens(text: string, max: number, size: (character: string) => number = ONE_EACH): string {
  // most texts hold no expression and fit: returned as they are, not rebuilt
  if (!text.includes('${TfToken[') && fits(text, max, size)) return text;
  let used = 0;
  let out = '';
  let last = 0;
  const literals: Array<{ readonly literal: string; readonly token?: string }> = [];
  for (const match of text.matchAll(STRING_TOKEN)) {
    literals.push({ literal: text.slice(last, match.index), token: match[0] });
    last = match.index! + match[0].length;
  }
  literals.push({ literal: text.slice(last) });
  for (const { literal, token } of literals) {
    let end = 0;
    for (const character of literal) {
      used += size(character);
      if (used > max) return out + literal.slice(0, end);
      end += character.length;
    }
    out += literal;
    if (token !== undefined) out += token;
  }
  return out;
}

/** Counts every character as one. */
const ONE_EACH = (): number => 1;

/** Whether a text without expressions counts at most `max` by `size`. */
function fits(text: string, max: number, size: (character: string) => number): boolean {
  if (size === ONE_EACH && text.length <= max) return true; // a text has no more characters than UTF-16 units
  let used = 0;
  for (const character of text) {
    used += size(character);
    if (used > max) return false;
  }
  return true;
}

/**
 * A text made fit for an Azure NSG rule description: control characters and line breaks become
 * spaces, and the result is cut to `max` UTF-8 bytes (the provider's length check counts bytes)
 * without splitting a character.
 */
export function azureRuleDescription(text: string, max: number = AZURE_RULE_DESCRIPTION_MAX): string {
  const oneLine = text.replace(/[\s\p{Cc}\p{Cf}]+/gu, ' ').trim();
  return cutOutsideTokens(oneLine, max, (character) => Buffer.byteLength(character, 'utf8')).trimEnd();
}

/**
 * The description of a rule that serves several flows: their descriptions, without duplicates, in
 * sorted order, joined by `; `. The result depends only on the set of descriptions, never on the
 * order the flows were declared in.
 */
export function mergedDescription(descriptions: readonly string[]): string {
  return [...new Set(descriptions.map((d) => d.trim()).filter((d) => d.length > 0))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).join('; ');
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

function withoutAccents(text: string): string {
  // printable ASCII is its own NFKD form and has no marks: most descriptions skip ICU
  return PRINTABLE_ASCII.test(text) ? text : text.normalize('NFKD').replace(/\p{M}+/gu, '');
}
