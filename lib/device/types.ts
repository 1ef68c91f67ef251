// Facts about the certificate a device presented to the certauth listener (lib/device/listener.ts).

/** One certificate as the device sent it, or as read from a trusted proxy header. */
export interface DeviceCertificate {
  /** Position in what was sent: 0 is the device's own certificate. */
  position: number;
  /** The file name it is diagnosed under (device-1.cer, ...). */
  fileName: string;
  sha256: string;
}

/** The CA names the listener put in its CertificateRequest. */
export interface CaListInfo {
  names: string[];
  /** Bytes of the certificate_authorities list (each name with its 2-byte length). */
  bytes: number;
  /** Subjects left out because the list would have passed 16 KB. */
  dropped: string[];
  /** Where the list came from (uploaded CA certificates, a pasted trust store); none for the default empty list. */
  source?: 'uploaded' | 'pasted';
}

/** What the listener captured for one request: the input of a device diagnosis (DiagnosisInput.device). */
export interface DeviceInput {
  /** tls-handshake: read from the client's Certificate message; proxy-header: a trusted proxy's header. */
  via: 'tls-handshake' | 'proxy-header';
  /** The device answered the certificate request at all (an empty answer means "no certificate"). */
  answered: boolean;
  certificates: DeviceCertificate[];
  tlsVersion?: string;
  /** The TLS session was resumed, so no Certificate message travelled (never expected: tickets are off). */
  resumed?: boolean;
  userAgent?: string;
  caList: CaListInfo;
  notes: string[];
}

export type Platform = 'windows' | 'macos' | 'ios' | 'android' | 'linux' | 'chromeos' | 'unknown';

/** The device section of the artifacts, for device.* checks. */
export interface DeviceFacts extends DeviceInput {
  platform: Platform;
  browser?: string;
  /** Certificates as parsed (subject, issuer, CA or not), in the order sent; refs into PkiArtifacts.certs. */
  chain: { position: number; fileName: string; ref?: string; subject?: string; issuer?: string; isCa?: boolean; selfIssued?: boolean; sha256: string }[];
}

export interface DeviceArtifacts {
  device: DeviceFacts;
}
