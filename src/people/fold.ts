/**
 * Search keys: accents and case folded the same way in SQL (migration 005's generated columns)
 * and here (the typed query), so "lefevre", "Lefèvre" and "LEFÈVRE" all find Hélène Lefèvre.
 *
 * The fold is a fixed table applied with nested REPLACE() — no lower(), no collation — so
 * SQLite and PostgreSQL (whatever its locale) store exactly the keys `searchKey()` computes. Hyphens
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
const SEARCH_KEY_TABLE: ReadonlyArray<readonly [string, string]> = [
  ...GROUPS.flatMap(([chars, to]) => [...chars].map((c) => [c, to] as const)),
  ...[...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'].map((c) => [c, c.toLowerCase()] as const),
];

const MAP = new Map(SEARCH_KEY_TABLE);

/** The search key of a text (what the generated columns hold). */
export function searchKey(text: string): string {
  let out = '';
  for (const c of text) out += MAP.get(c) ?? c;
  return out;
}

/** A typed query as a key: folded, blanks collapsed and trimmed. */
export function querySearchKey(text: string): string {
  return searchKey(text.replace(/\s+/g, ' ').trim()).replace(/ {2,}/g, ' ').trim();
}

const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The SQL expression computing `searchKey(expression)`; migration 005 holds its output verbatim (a test checks). */
export function searchKeySql(expression: string): string {
  return SEARCH_KEY_TABLE.reduce((inner, [from, to]) => `replace(${inner}, ${literal(from)}, ${literal(to)})`, expression);
}

