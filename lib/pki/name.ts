// Distinguished names: a display form and a comparison key. RFC 5280 section 7.1 compares names
// attribute by attribute, case-insensitively, with leading/trailing/internal whitespace folded.
import { AsnConvert } from '@peculiar/asn1-schema';
import { Name as AsnName } from '@peculiar/asn1-x509';
import { toHex } from './der';

export interface ParsedName {
  /** Display form, most significant RDN first (like certutil and Windows show it: CN=..., O=...). */
  display: string;
  /** Comparison key per RFC 5280 7.1; equal keys mean the names match. */
  key: string;
  /** The attributes in DER order: [[{type, value}]] per RDN. */
  rdns: { type: string; value: string }[][];
  /** Comparison key of each RDN in DER order (key = rdnKeys.join('/')); name constraints match RDN prefixes. */
  rdnKeys?: string[];
  der: Uint8Array;
}

const SHORT: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'S',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'T',
  '2.5.4.42': 'G',
  '2.5.4.43': 'I',
  '2.5.4.46': 'DNQUALIFIER',
  '2.5.4.65': 'PSEUDONYM',
  '1.2.840.113549.1.9.1': 'E',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
};

export function attributeShortName(oid: string): string {
  return SHORT[oid] ?? `OID.${oid}`;
}

function normalizeString(s: string): string {
  return s.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

export function parseName(der: Uint8Array): ParsedName {
  const name = AsnConvert.parse(der, AsnName);
  const rdns: { type: string; value: string }[][] = [];
  const keyParts: string[] = [];
  for (const rdn of name) {
    const avas: { type: string; value: string }[] = [];
    const avaKeys: string[] = [];
    for (const ava of rdn) {
      const v = ava.value;
      const str =
        v.printableString ?? v.utf8String ?? v.ia5String ?? v.teletexString ?? v.bmpString ?? v.universalString;
      if (str !== undefined) {
        avas.push({ type: ava.type, value: str });
        avaKeys.push(`${ava.type}=s:${normalizeString(str)}`);
      } else {
        const raw = v.anyValue ? toHex(v.anyValue) : '';
        avas.push({ type: ava.type, value: `#${raw}` });
        avaKeys.push(`${ava.type}=x:${raw}`);
      }
    }
    avaKeys.sort();
    keyParts.push(avaKeys.join('+'));
    rdns.push(avas);
  }
  const display = [...rdns]
    .reverse()
    .map((rdn) => rdn.map((a) => `${attributeShortName(a.type)}=${escapeValue(a.value)}`).join(' + '))
    .join(', ');
  return { display, key: keyParts.join('/'), rdns, rdnKeys: keyParts, der };
}

function escapeValue(v: string): string {
  return /[,+"\\<>;]/.test(v) || /^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
