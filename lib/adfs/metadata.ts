// Recognises a federation metadata document (SAML 2.0 metadata, as AD FS publishes it) and reads its
// entityID. Only the root element matters here: an HTML error or sign-in page served with status 200
// (a proxy or WAP misrouting) must not pass for metadata.
import { decodeXmlText } from './realm';

export interface MetadataFacts {
  entityId?: string;
  /** Why it is not metadata, when it is not. */
  problem?: string;
}

export function parseMetadata(body: Uint8Array): MetadataFacts {
  const text = Buffer.from(body).toString('utf8').replace(/^\uFEFF/, '');
  // Skip the XML declaration, comments, processing instructions and doctype to find the root element.
  const rest = text.replace(/^(\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>)*/i, '');
  const root = /^<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)\b([^>]*)>/.exec(rest);
  if (!root) return { problem: `the answer is not XML (it starts with ${JSON.stringify(text.trim().slice(0, 40))})` };
  const local = root[2];
  if (local !== 'EntityDescriptor' && local !== 'EntitiesDescriptor') return { problem: `the XML root element is <${root[1] ?? ''}${local}>, not a SAML metadata EntityDescriptor` };
  const tag = local === 'EntityDescriptor' ? root[0] : /<([A-Za-z_][\w.-]*:)?EntityDescriptor\b[^>]*>/.exec(rest)?.[0];
  const id = tag && /\bentityID\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(tag);
  const entityId = id ? decodeXmlText(id[1] ?? id[2] ?? '') : '';
  if (!entityId) return { problem: 'the metadata has no entityID' };
  return { entityId };
}
