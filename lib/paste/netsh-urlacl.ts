// netsh http show urlacl: "Reserved URL : <url>" followed by User / Listen / Delegate lines and an SDDL.
import { cut, head2, heads, parseBool, type Line } from './text';
import type { NetshUrlAclData, UrlReservation } from './types';

const RESERVED = /^Reserved URL\s*:\s*(.*)$/i;
const USER = /^User\s*:\s*(.*)$/i;
const LISTEN = /^Listen\s*:\s*(.*)$/i;
const DELEGATE = /^Delegate\s*:\s*(.*)$/i;
const SDDL = /^SDDL\s*:\s*(.*)$/i;

const SCORED = heads('UR', 'Re', 'Li', 'De', 'SD');

export function lineScoreUrlAcl(t: string): number {
  // Cheap first look (every line of every paragraph is scored): how the patterns below start.
  if (!SCORED.has(head2(t))) return 0;
  if (/^URL Reservations:?$/i.test(t) || RESERVED.test(t)) return 3;
  if (LISTEN.test(t) || DELEGATE.test(t) || /^SDDL\s*:\s*D:/i.test(t)) return 1;
  return 0;
}

export function parseNetshUrlAcl(lines: Line[]): NetshUrlAclData {
  const reservations: UrlReservation[] = [];
  let cur: UrlReservation | null = null;
  for (const l of lines) {
    const t = l.text.trim();
    let m: RegExpExecArray | null;
    if ((m = RESERVED.exec(t))) {
      cur = { url: m[1].trim(), users: [], sddl: null, line: l.n, text: cut(t) };
      reservations.push(cur);
    } else if (!cur) continue;
    else if ((m = USER.exec(t))) cur.users.push({ user: m[1].trim(), listen: null, delegate: null, line: l.n });
    else if ((m = LISTEN.exec(t))) {
      const u = cur.users[cur.users.length - 1];
      if (u) u.listen = parseBool(m[1]);
      else cur.users.push({ user: '', listen: parseBool(m[1]), delegate: null, line: l.n });
    } else if ((m = DELEGATE.exec(t))) {
      const u = cur.users[cur.users.length - 1];
      if (u) u.delegate = parseBool(m[1]);
    } else if ((m = SDDL.exec(t))) cur.sddl = m[1].trim();
  }
  return { reservations };
}
