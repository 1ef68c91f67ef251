import { describe, expect, it } from 'vitest';
import { oneLine } from './root-causes';

describe('oneLine', () => {
  it('keeps the first sentence, without parenthesised details, ending with a dot', () => {
    expect(oneLine('Publish sts.contoso.com in public DNS (an A or AAAA record pointing to the proxy), then check it from a device outside the network:')).toBe(
      'Publish sts.contoso.com in public DNS, then check it from a device outside the network.',
    );
    expect(oneLine('The user certificate "CN=Alice" has expired: re-enroll it (Certificates console: All Tasks > Request New Certificate). Then install it.')).toBe(
      'The user certificate "CN=Alice" has expired: re-enroll it.',
    );
    expect(oneLine('x'.repeat(300)).length).toBe(221);
  });
});
