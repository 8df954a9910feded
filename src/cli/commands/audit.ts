import type { AuditEvent } from '../../model/index.ts';
import { BadRequestError } from '../../shared/errors.ts';

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `2026-11-01`, a full ISO timestamp, or a duration back from now: `30m`, `24h`, `7d`. */
export function parseWhen(value: string, now: number): number {
  const duration = /^(\d+)([mhd])$/.exec(value);
  if (duration) return now - Number(duration[1]) * UNITS[duration[2]!]!;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new BadRequestError('usage', `cannot read the date ${value}`);
  return time;
}

export function formatAuditEvents(events: AuditEvent[]): string[] {
  if (events.length === 0) return ['(no events)'];
  return events.map((e) =>
    [
      new Date(e.at).toISOString(),
      e.action,
      e.outcome + (e.reason ? `(${e.reason})` : ''),
      e.actor ? `actor=${e.actor}` : '',
      e.subject ? `subject=${e.subject}` : '',
      e.applicationId ? `app=${e.applicationId}` : '',
      e.certificateSerial ? `serial=${e.certificateSerial}` : '',
      e.ip ? `ip=${e.ip}` : '',
    ]
      .filter(Boolean)
      .join('  '),
  );
}
