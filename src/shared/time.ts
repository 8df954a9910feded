/** Epoch milliseconds → ISO 8601 for API, CLI and CSV output (null stays null). */
export function iso(ms: number | null | undefined): string | null {
  return ms == null ? null : new Date(Number(ms)).toISOString();
}
