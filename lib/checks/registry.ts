// The explicit list of every check, in report order. Adding a check = one file + one line here.
import type { CheckDef } from './types';
import { inputFiles } from './input/input.files';
import { inputCrlFiles } from './input/input.crl-files';
import { certUser } from './cert/cert.user';
import { certValidity } from './cert/cert.validity';
import { certSanUpn } from './cert/cert.san-upn';
import { certEku } from './cert/cert.eku';
import { certKeyUsage } from './cert/cert.key-usage';
import { certKey } from './cert/cert.key';
import { certCdp } from './cert/cert.cdp';
import { certUserIds } from './cert/cert.user-ids';
import { chainBuild } from './chain/chain.build';
import { chainPath } from './chain/chain.path';
import { chainProfile } from './chain/chain.profile';
import { chainAuthorityTypes } from './chain/chain.authority-types';
import { crlLocation } from './crl/crl.location';
import { crlFetch } from './crl/crl.fetch';
import { crlDownloadTime } from './crl/crl.download-time';
import { crlSize } from './crl/crl.size';
import { crlFormat } from './crl/crl.format';
import { crlSignature } from './crl/crl.signature';
import { crlFreshness } from './crl/crl.freshness';
import { crlRevocation } from './crl/crl.revocation';
import { crlDelta } from './crl/crl.delta';
import { realmNamespace } from './realm/realm.namespace';
import { realmStsHost } from './realm/realm.sts-host';
import { adfsDns } from './adfs/adfs.dns';
import { adfsHttps } from './adfs/adfs.https';
import { adfsMetadata } from './adfs/adfs.metadata';
import { adfsCertPort } from './adfs/adfs.cert-port';
import { adfsClientCertRequest } from './adfs/adfs.client-cert-request';
import { adfsCertTransport } from './adfs/adfs.cert-transport';
import { configPaste } from './config/config.paste';
import { configPromptLogin } from './config/config.prompt-login';
import { configCertProvider } from './config/config.cert-provider';
import { configUrlAcl } from './config/config.urlacl';
import { configSslCert } from './config/config.sslcert';
import { configClaimRules } from './config/config.claim-rules';
import { configTrustedCas } from './config/config.trusted-cas';
import { configCertutil } from './config/config.certutil';
import { configServerStores } from './config/config.server-stores';
import { perNode } from './config/per-node';
import { adfsCertBindingTls } from './adfs/adfs.cert-binding-tls';
import { configNtAuth } from './config/config.ntauth';
import { configSchannel } from './config/config.schannel';
import { configAdfsBindings } from './config/config.adfs-bindings';
import { configWinHttpProxy } from './config/config.winhttp-proxy';
import { entraMethod } from './entra/entra.method';
import { entraUserBinding } from './entra/entra.user-binding';
import { entraAuthStrength } from './entra/entra.auth-strength';
import { entraTrustStore } from './entra/entra.trust-store';
import { entraCrlRequired } from './entra/entra.crl-required';
import { entraIssuerHints } from './entra/entra.issuer-hints';
import { signinError } from './signin/signin.error';
import { deviceCertOffered } from './device/device.cert-offered';
import { deviceChainSent } from './device/device.chain-sent';

export const ALL_CHECKS: CheckDef[] = [
  inputFiles,
  inputCrlFiles,
  certUser,
  certValidity,
  certSanUpn,
  certEku,
  certKeyUsage,
  certKey,
  certCdp,
  certUserIds,
  chainBuild,
  chainPath,
  chainProfile,
  chainAuthorityTypes,
  crlLocation,
  crlFetch,
  crlDownloadTime,
  crlSize,
  crlFormat,
  crlSignature,
  crlFreshness,
  crlRevocation,
  crlDelta,
  realmNamespace,
  realmStsHost,
  adfsDns,
  adfsHttps,
  adfsMetadata,
  adfsCertPort,
  adfsClientCertRequest,
  adfsCertTransport,
  adfsCertBindingTls,
  configPaste,
  configPromptLogin,
  perNode(configCertProvider),
  perNode(configUrlAcl),
  perNode(configSslCert),
  perNode(configClaimRules),
  configTrustedCas,
  perNode(configCertutil),
  perNode(configServerStores),
  perNode(configNtAuth),
  perNode(configSchannel),
  perNode(configAdfsBindings),
  perNode(configWinHttpProxy),
  entraMethod,
  entraUserBinding,
  entraAuthStrength,
  entraTrustStore,
  entraCrlRequired,
  entraIssuerHints,
  signinError,
  deviceCertOffered,
  deviceChainSent,
];

/** Ids from CHECKS.md not implemented yet (the registry test keeps this honest). */
export const PENDING_CHECKS: string[] = [
];
