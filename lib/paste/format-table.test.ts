import { describe, expect, it } from 'vitest';
import { isRuleLine, missingFromTable, readFormatTable, readRecords, tableRecords } from './format-table';
import { toLines } from './text';

const table = (...rows: string[]) => readFormatTable(toLines(rows.join('\n')))!;
const cells = (t: ReturnType<typeof table>) => t.rows.map((r) => r.cells.map((c) => (c.cut ? `${c.value}…` : c.value)));

describe('Format-Table reader', () => {
  it('reads left-aligned text wider than its header and right-aligned numbers and booleans', () => {
    const t = table(
      'HostName                           PortNumber CertificateHash',
      '--------                           ---------- ---------------',
      'localhost                                 443 3F9B1C2E7A54D08E6B21C9F04D7E8A35B16C2F90',
      'enterpriseregistration.contoso.com        443 3F9B1C2E7A54D08E6B21C9F04D7E8A35B16C2F90',
      'sts.contoso.com                         49443 3F9B1C2E',
    );
    expect(t.columns.map((c) => c.name)).toEqual(['HostName', 'PortNumber', 'CertificateHash']);
    expect(cells(t)).toEqual([
      ['localhost', '443', '3F9B1C2E7A54D08E6B21C9F04D7E8A35B16C2F90'],
      ['enterpriseregistration.contoso.com', '443', '3F9B1C2E7A54D08E6B21C9F04D7E8A35B16C2F90'],
      ['sts.contoso.com', '49443', '3F9B1C2E'],
    ]);
  });

  it('keeps values with single spaces whole and splits two columns one space apart', () => {
    const t = table(
      'AdminName                  AllowedForPrimaryE... AuthenticationMethods',
      '---------                  --------------------- ---------------------',
      'Certificate Authentication                  True {urn:ietf:rfc:2246, u...',
      'Forms Authentication                       False {urn:oasis:names:tc:S…',
    );
    expect(cells(t)).toEqual([
      ['Certificate Authentication', 'True', '{urn:ietf:rfc:2246, u…'],
      ['Forms Authentication', 'False', '{urn:oasis:names:tc:S…'],
    ]);
    expect(t.columns[1]).toMatchObject({ name: 'AllowedForPrimaryE', nameCut: true });
    // A cut header is completed from the known names; a cut value makes that property unusable.
    expect(tableRecords(t, ['AllowedForPrimaryExtranet'])[0].props.map((p) => p.name)).toEqual(['AdminName', 'AllowedForPrimaryExtranet', 'AuthenticationMethods']);
    expect(missingFromTable(t, ['AdminName', 'AllowedForPrimaryExtranet', 'AuthenticationMethods', 'Name'])).toEqual(['AuthenticationMethods', 'Name']);
  });

  it('is not fooled by rules that are not tables, and falls back to Format-List', () => {
    expect(isRuleLine('-------------------------')).toBe(true);
    expect(isRuleLine('--- Certificate CDP ---')).toBe(false);
    expect(isRuleLine('-')).toBe(false);
    expect(readFormatTable(toLines('Name : x\nValue : y'))).toBeNull();
    expect(readRecords(toLines('Name  : x\nValue : y'))[0].props.map((p) => [p.name, p.value])).toEqual([
      ['Name', 'x'],
      ['Value', 'y'],
    ]);
  });
});
