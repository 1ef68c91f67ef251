// The device platform and browser, from the User-Agent, to tailor "no certificate offered" guidance.
import type { Platform } from './types';

export function platformOf(userAgent: string | undefined): { platform: Platform; browser?: string } {
  const ua = userAgent ?? '';
  // Order matters: iPadOS and Android UAs also mention other systems ("like Mac OS X", "Linux").
  const platform: Platform = /iPhone|iPad|iPod/.test(ua)
    ? 'ios'
    : /Android/.test(ua)
      ? 'android'
      : /CrOS/.test(ua)
        ? 'chromeos'
        : /Windows NT|Win64|Windows/.test(ua)
          ? 'windows'
          : /Macintosh|Mac OS X/.test(ua)
            ? 'macos'
            : /Linux|X11/.test(ua)
              ? 'linux'
              : 'unknown';
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Firefox\/|FxiOS/.test(ua)
      ? 'Firefox'
      : /Chrome\/|CriOS/.test(ua)
        ? 'Chrome'
        : /Safari\//.test(ua)
          ? 'Safari'
          : undefined;
  return { platform, browser };
}
