import { describe, expect, it } from 'vitest';
import { sample } from '@/test/paste/variants';
import { configUrlAcl } from './config.urlacl';
import { pasteArtifacts, runCheck } from '@/test/checks/config';

const run = (text: string, input = {}) => runCheck(configUrlAcl, pasteArtifacts([text], { input }));

describe('config.urlacl', () => {
  it('passes the healthy output, quoting the reservation', async () => {
    const o = await run(sample('netsh-urlacl.healthy.txt'));
    expect(o.status).toBe('pass');
    expect(o.summary).toContain('https://+:49443/adfs/ is reserved for NT SERVICE\\adfssrv with Listen: Yes (line 61: "Reserved URL : https://+:49443/adfs/")');
    expect(o.summary).toContain('NT SERVICE\\adfssrv');
    expect(o.evidence).toMatchObject({ expected: 'https://+:49443/adfs/', outputs: [{ match: { url: 'https://+:49443/adfs/', line: 61 }, status: 'pass' }] });
  });

  it('fails when the 49443 reservation is missing and lists the AD FS reservations seen', async () => {
    const o = await run(sample('netsh-urlacl.broken.txt'));
    expect(o.status).toBe('fail');
    expect(o.summary).toContain('no reservation for https://+:49443/adfs/');
    expect(o.summary).toContain('https://+:443/adfs/');
    expect(o.remediation!.map((r) => r.command)).toContain('netsh http add urlacl url=https://+:49443/adfs/ user="NT SERVICE\\adfssrv" listen=yes delegate=yes\nRestart-Service adfssrv');
  });

  it('fails a reservation without listen rights', async () => {
    const t = sample('netsh-urlacl.healthy.txt').replace(/(49443\/adfs\/ \n {8}User: NT SERVICE\\adfssrv\n {12}Listen: )Yes/, '$1No');
    expect(t).not.toBe(sample('netsh-urlacl.healthy.txt'));
    const o = await run(t);
    expect(o.status).toBe('fail');
    expect(o.summary).toContain('Listen: No');
    expect(o.remediation![0].command).toBe('netsh http delete urlacl url=https://+:49443/adfs/');
  });

  it('warns when the URL is reserved for another account', async () => {
    const t = sample('netsh-urlacl.healthy.txt').replace(/(49443\/adfs\/ \n {8}User: )NT SERVICE\\adfssrv/, '$1CONTOSO\\someone');
    expect((await run(t)).status).toBe('warn');
  });

  it('uses the certificate authentication port given with --tls-client-port', async () => {
    expect((await run(sample('netsh-urlacl.broken.txt'), { tlsClientPort: 443 })).status).toBe('pass');
    const o = await run(sample('netsh-urlacl.healthy.txt'), { tlsClientPort: 8443 });
    expect(o.status).toBe('fail');
    expect(o.summary).toContain('https://+:8443/adfs/');
  });
});
