import { ComputeGlobalAddress } from '@cdktf/provider-google/lib/compute-global-address';
import { Testing } from 'cdktf';
import { StaticIp } from '../../lib/gcp/static-ip';

describe('StaticIp', () => {
  test('reserves a global external IPv4 address under the name the Ingress refers to', () => {
    const json = Testing.synthScope((scope) => {
      new StaticIp(scope, 'Web', { name: 'web-prod' });
    });
    expect(json).toHaveResourceWithProperties(ComputeGlobalAddress, { name: 'web-prod', address_type: 'EXTERNAL', ip_version: 'IPV4' });
  });
});
