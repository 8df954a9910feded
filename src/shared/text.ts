/** Lower case, accents stripped: "Hôpital" ~ "hopital" (Unicode decomposition, marks dropped). */
export function lowerCaseWithoutAccents(value: string): string {
  return value.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}
