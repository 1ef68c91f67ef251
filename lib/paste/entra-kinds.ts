// Registration of the Entra tenant paste kinds (lib/paste/entra.ts). The JSON kinds are recognised by shape in
// detect.ts (whole JSON documents); the error page's details block is plain text, scored line by line.
import type { KindSpec } from './kinds';
import { lineScoreErrorPage, parseErrorPageLines } from './entra';
import type { Line } from './text';

type EntraKind = 'entra-method' | 'entra-user' | 'entra-groups' | 'signin-log' | 'signin-error-page';

// A JSON kind never comes from a text paragraph (no scorer); parse is there for the KindSpec contract.
const notText = (): never => {
  throw new Error('JSON only');
};

export const ENTRA_KINDS: { [K in EntraKind]: KindSpec<K> } = {
  'entra-method': {
    kind: 'entra-method',
    label: 'the x509Certificate authentication method configuration (GET /v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/x509Certificate)',
    parse: notText,
    isEmpty: () => false,
  },
  'entra-user': {
    kind: 'entra-user',
    label: 'the user (GET /v1.0/users/{upn}?$select=id,userPrincipalName,onPremisesUserPrincipalName,mail,authorizationInfo)',
    parse: notText,
    isEmpty: (d) => !d.userPrincipalName,
  },
  'entra-groups': {
    kind: 'entra-groups',
    label: "the user's groups (GET /v1.0/users/{upn}/transitiveMemberOf?$select=id)",
    parse: notText,
    isEmpty: () => false,
  },
  'signin-log': {
    kind: 'signin-log',
    label: "the sign-in log entries (GET /v1.0/auditLogs/signIns?$filter=correlationId eq '{id}')",
    parse: notText,
    isEmpty: (d) => d.entries.length === 0,
  },
  'signin-error-page': {
    kind: 'signin-error-page',
    label: 'the error page details (Request Id, Correlation Id, Timestamp, AADSTS message)',
    lineScore: lineScoreErrorPage,
    parse: (lines: Line[]) => parseErrorPageLines(lines),
    isEmpty: (d) => d.entries.length === 0,
  },
};
