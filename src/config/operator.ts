/**
 * Who runs the CLI, for the audit trail: `PASSERELLE_OPERATOR` (e.g. the coordinator's identifier) when
 * set, else the account behind `sudo` (SUDO_USER), else null (the OS user is then used). Without this, every
 * action run as root read `cli:root` and named no one.
 */
export function operatorName(env: Record<string, string | undefined> = process.env): string | null {
  for (const value of [env.PASSERELLE_OPERATOR, env.SUDO_USER]) {
    const name = value?.trim();
    if (name && /^[\p{L}\p{N}._@-]{1,100}$/u.test(name)) return name;
  }
  return null;
}
