// Get-AdfsAuthenticationProvider: one Format-List record per provider.
import { prop, propNames, type FlRecord } from './format-list';
import { readRecords } from './format-table';
import { parseBool, type Line } from './text';
import type { AdfsAuthProviderData, AuthProvider, Quoted } from './types';

/** The properties read (a cut Format-Table header is completed from them). */
const AUTH_PROVIDER_PROPERTIES = ['Name', 'AdminName', 'AllowedForPrimaryExtranet', 'AllowedForPrimaryIntranet', 'AllowedForAdditionalAuthentication', 'IsCustom'];

export function scoreAdfsAuthProvider(names: Set<string>): number {
  if (names.has('allowedforprimaryextranet') || names.has('allowedforprimaryintranet')) return 4;
  if (names.has('adminname') && (names.has('authenticationmethods') || names.has('requiresidentity'))) return 3;
  return 0;
}

function boolProp(r: FlRecord, name: string): Quoted<boolean | null> | null {
  const p = prop(r, name);
  return p ? { value: parseBool(p.value), line: p.line, text: p.text } : null;
}

export function parseAdfsAuthProvider(lines: Line[]): AdfsAuthProviderData {
  const providers: AuthProvider[] = [];
  for (const r of readRecords(lines, AUTH_PROVIDER_PROPERTIES)) {
    if (!prop(r, 'Name') && !scoreAdfsAuthProvider(propNames(r))) continue;
    const first = r.props[0];
    providers.push({
      name: prop(r, 'Name')?.value || null,
      adminName: prop(r, 'AdminName')?.value || null,
      allowedForPrimaryExtranet: boolProp(r, 'AllowedForPrimaryExtranet'),
      allowedForPrimaryIntranet: boolProp(r, 'AllowedForPrimaryIntranet'),
      allowedForAdditionalAuthentication: parseBool(prop(r, 'AllowedForAdditionalAuthentication')?.value),
      isCustom: parseBool(prop(r, 'IsCustom')?.value),
      line: first.line,
      text: first.text,
    });
  }
  return { providers };
}
