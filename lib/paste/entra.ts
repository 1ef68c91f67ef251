// Entra tenant pastes: the x509Certificate method configuration, the user, the user's groups, sign-in log
// entries (JSON from Graph Explorer or ConvertTo-Json), and the error page's troubleshooting details (text).
// The JSON objects are handed to lib/entra's readers, which a live Graph read uses too.
import { entries, isObject, type Json } from '@/lib/entra/json';
import { AADSTS_CODE, isGroupList, isMethodConfig, isSignIn, isUser, parseErrorPage, parseGroups, parseMethodConfig, parseSignIn, parseUser } from '@/lib/entra/parse';
import type { EntraUser, GroupMembership, SignInEntry, X509MethodConfig } from '@/lib/entra/types';
import type { Line } from './text';

export interface SignInData {
  entries: SignInEntry[];
}

export type EntraJson =
  | { kind: 'entra-method'; data: X509MethodConfig }
  | { kind: 'entra-user'; data: EntraUser }
  | { kind: 'entra-groups'; data: GroupMembership }
  | { kind: 'signin-log'; data: SignInData };

/** Sign-in entries read from one paste at most (a day of logs is not what a diagnosis needs). */
const MAX_SIGNINS = 50;

/** Recognises a JSON document as one of the Entra tenant objects, or null. */
export function entraJson(value: unknown, lines: Line[]): EntraJson | null {
  const list = entries(value);
  const first = list[0];
  if (!first) return null;
  if (isMethodConfig(first)) return { kind: 'entra-method', data: parseMethodConfig(first, 'paste') };
  const signIns = list.filter(isSignIn);
  if (signIns.length) {
    const anchors = lines.filter((l) => /"correlationId"\s*:/i.test(l.text));
    return { kind: 'signin-log', data: { entries: signIns.slice(0, MAX_SIGNINS).map((o: Json, i) => parseSignIn(o, 'paste', `line ${anchors[i]?.n ?? lines[0]?.n ?? 1}`)) } };
  }
  if (isUser(first) && list.length === 1) return { kind: 'entra-user', data: parseUser(first, 'paste') };
  if ((isObject(value) || Array.isArray(value)) && isGroupList(value)) return { kind: 'entra-groups', data: parseGroups(value, 'paste') };
  return null;
}

// ---- the error page's details (text) ----

const FIELD = /^(Request Id|Correlation Id|Timestamp|Error Code|Trace Id)\s*:\s*\S/i;
const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

export function lineScoreErrorPage(t: string): number {
  if (AADSTS_CODE.test(t)) return 3;
  if (FIELD.test(t)) return GUID.test(t) || /^Timestamp/i.test(t) ? 2 : 1;
  return 0;
}

export function parseErrorPageLines(lines: Line[]): SignInData {
  const e = parseErrorPage(lines, 'paste', (n) => `line ${n}`);
  return { entries: e ? [e] : [] };
}
