/** Who performed an action, as the audit trail records it. */
export interface Actor {
  /** Who acted: an identifier, `cli:<os user>`, or `system`. */
  name: string;
  ip?: string | null;
  /** The certificate the action came with (console, admin API), for the audit trail. */
  certificateSerial?: string | null;
}
