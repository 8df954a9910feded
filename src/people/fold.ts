/**
 * Search keys: accents and case folded the same way in SQL (migration 005's generated columns)
 * and here (the typed query), so "lefevre", "Lefèvre" and "LEFÈVRE" all find Hélène Lefèvre.
 *
 * The fold is a fixed table applied with nested REPLACE() — no lower(), no collation — so
 * SQLite and PostgreSQL (whatever its locale) store exactly the keys `fold()` computes. Hyphens
 * and apostrophes become spaces ("Jean-Pierre" ~ "jean pierre", "N'Diaye" ~ "n diaye").
 * Characters outside the table are kept as they are.
 */
const GROUPS: Array<[string, string]> = [
  ['ÀÁÂÃÄÅàáâãäå', 'a'],
  ['Çç', 'c'],
  ['ÈÉÊËèéêë', 'e'],
  ['ÌÍÎÏìíîï', 'i'],
  ['Ðð', 'd'],
  ['Ññ', 'n'],
  ['ÒÓÔÕÖØòóôõöø', 'o'],
  ['ÙÚÛÜùúûü', 'u'],
  ['ÝýÿŸ', 'y'],
  ['Šš', 's'],
  ['Žž', 'z'],
  ['Łł', 'l'],
  ['ÆæǼǽ', 'ae'],
  ['Œœ', 'oe'],
  ['Þþ', 'th'],
  ['ß', 'ss'],
  // Combining marks, for text typed in decomposed form (e + U+0301).
  ['\u0300\u0301\u0302\u0303\u0308\u030a\u0327', ''],
  ["-'\u2019", ' '],
];

/** Every replacement, one character each: the table above plus A–Z → a–z. */
export const FOLD_TABLE: ReadonlyArray<readonly [string, string]> = [
  ...GROUPS.flatMap(([chars, to]) => [...chars].map((c) => [c, to] as const)),
  ...[...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'].map((c) => [c, c.toLowerCase()] as const),
];

const MAP = new Map(FOLD_TABLE);

/** The search key of a text (what the generated columns hold). */
export function fold(text: string): string {
  let out = '';
  for (const c of text) out += MAP.get(c) ?? c;
  return out;
}

/** A typed query as a key: folded, blanks collapsed and trimmed. */
export function foldQuery(text: string): string {
  return fold(text.replace(/\s+/g, ' ').trim()).replace(/ {2,}/g, ' ').trim();
}

const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The SQL expression computing `fold(expression)`; migration 005 holds its output verbatim (a test checks). */
export function foldSql(expression: string): string {
  return FOLD_TABLE.reduce((inner, [from, to]) => `replace(${inner}, ${literal(from)}, ${literal(to)})`, expression);
}

/** The upper bound of a prefix range: keys starting with `prefix` are ≥ prefix and < this. */
export function prefixEnd(prefix: string): string {
  return `${prefix}\u{10FFFF}`;
}
