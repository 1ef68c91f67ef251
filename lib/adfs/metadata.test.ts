import { describe, expect, it } from 'vitest';
import { parseMetadata } from './metadata';
import { METADATA_XML } from '@/test/adfs/standins';

const m = (s: string) => parseMetadata(new Uint8Array(Buffer.from(s)));

describe('parseMetadata', () => {
  it('reads the entityID of AD FS metadata', () => {
    expect(m(METADATA_XML('sts.contoso.test'))).toEqual({ entityId: 'http://sts.contoso.test/adfs/services/trust' });
  });
  it('accepts a prefixed root, a BOM, comments and single quotes', () => {
    expect(m(`\uFEFF<?xml version="1.0"?><!-- x --><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID='urn:a&amp;b'/>`)).toEqual({ entityId: 'urn:a&b' });
    expect(m(`<EntitiesDescriptor><EntityDescriptor entityID="urn:x"></EntityDescriptor></EntitiesDescriptor>`)).toEqual({ entityId: 'urn:x' });
  });
  it('says why other answers are not metadata', () => {
    expect(m('<!DOCTYPE html><html><body>Sign in</body></html>').problem).toMatch(/root element is <html>/);
    expect(m('Service Unavailable').problem).toMatch(/not XML/);
    expect(m('<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata"></EntityDescriptor>').problem).toMatch(/no entityID/);
  });
});
