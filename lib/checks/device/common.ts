import type { Remediation } from '@/lib/report/schema';
import type { DeviceFacts, Platform } from '@/lib/device/types';

export const ENTRA_DEEP_DIVE_URL = 'https://learn.microsoft.com/entra/identity/authentication/concept-certificate-based-authentication-technical-deep-dive';

export function applies(a: { device?: DeviceFacts }): true | string {
  return a.device ? true : 'The certificates were uploaded, not presented by a device (use "Test with the certificate on this device" for that).';
}

export function chainEvidence(d: DeviceFacts) {
  return d.chain.map((c) => ({
    position: c.position,
    fileName: c.fileName,
    ref: c.ref ?? null,
    subject: c.subject ?? null,
    issuer: c.issuer ?? null,
    isCa: c.isCa ?? null,
    sha256: c.sha256,
  }));
}

const PLATFORM_NAME: Record<Platform, string> = {
  windows: 'Windows',
  macos: 'macOS',
  ios: 'iOS or iPadOS',
  android: 'Android',
  linux: 'Linux',
  chromeos: 'ChromeOS',
  unknown: 'this device',
};
export const platformName = (p: Platform) => PLATFORM_NAME[p];

/** Where a certificate must be for the browser to offer it, per platform (fixed text: nothing from the input). */
export function platformGuidance(p: Platform): Remediation[] {
  switch (p) {
    case 'windows':
      return [
        {
          text: 'Browsers on Windows offer the certificates of the user\'s personal store (certmgr.msc > Personal > Certificates) that have a private key. List them; a smart card certificate appears there only while the card is inserted and its middleware (minidriver) is working:',
          command: 'Get-ChildItem Cert:\\CurrentUser\\My | Where-Object { $_.HasPrivateKey } | Format-List Subject, Issuer, NotAfter, EnhancedKeyUsageList\ncertutil -scinfo',
        },
      ];
    case 'macos':
      return [
        {
          text: 'Safari and Chrome on macOS offer identities (a certificate with its private key) from the login keychain or a smart card seen by the system. List the identities usable for client authentication:',
          command: 'security find-identity -v -p ssl-client',
        },
      ];
    case 'ios':
      return [
        {
          text: 'On iOS and iPadOS a browser offers only certificates installed as an identity through a configuration profile (usually pushed by device management); for Entra CBA in apps, Microsoft Authenticator must be installed, and a smart card or YubiKey is used through Authenticator. Check Settings > General > VPN & Device Management for the profile that carries the certificate.',
        },
      ];
    case 'android':
      return [
        {
          text: 'On Android the browser offers certificates from the system credential store, usually installed by Company Portal or another device management app (Settings > Security > Encryption & credentials > User credentials). For Entra CBA in apps, Microsoft Authenticator or Company Portal acts as the broker; a smart card or YubiKey is used through Authenticator.',
        },
      ];
    default:
      return [
        {
          text: 'Check that the browser holds the user\'s certificate with its private key (its certificate manager, "Your certificates"), or that the smart card middleware exposes it (PKCS#11 module loaded in the browser).',
        },
      ];
  }
}

export const REMEMBERED_CHOICE: Remediation = {
  text: 'Browsers remember the certificate chosen for a site, including "no certificate", until they restart. Close every browser window (or use a private window) and test again. At Entra sign-in, a remembered choice that the browser sends again ends in AADSTS90100; the same restart clears it.',
};

export const TLS_INSPECTION: Remediation = {
  text: 'A proxy or security product that inspects TLS ends the connection itself and cannot pass the device\'s certificate on (Entra then reports AADSTS50192). Exempt this test address, certauth.login.microsoftonline.com and the AD FS certificate endpoint from TLS inspection.',
};
