import { Chart, Duration, Testing } from 'cdk8s';
import { Certificate, CertificateKey, type CertificateProps } from '../../../lib/k8s/exposure/certificate';
import { validateObjects } from '../../../lib/validate/schemas';

type Manifest = ReturnType<typeof Testing.synth>[number];

function synth(props: Partial<CertificateProps> = {}): Manifest[] {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  new Certificate(chart, 'Certificate', {
    name: 'storefront',
    clusterIssuer: 'letsencrypt-prod',
    dnsNames: ['shop.example.com'],
    secretName: 'storefront-tls',
    ...props,
  });
  return Testing.synth(chart);
}

describe('Certificate', () => {
  test('a cert-manager Certificate for the hosts, signed by the ClusterIssuer, into the Secret', () => {
    const [cert] = synth();
    expect(cert).toEqual({
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'storefront', namespace: 'shop' },
      spec: {
        secretName: 'storefront-tls',
        issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'letsencrypt-prod' },
        dnsNames: ['shop.example.com'],
        privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      },
    });
  });

  test('exposes the Secret name for the Ingress', () => {
    const chart = Testing.chart();
    const cert = new Certificate(chart, 'C', { name: 'storefront', clusterIssuer: 'letsencrypt-prod', dnsNames: ['shop.example.com'], secretName: 'storefront-tls' });
    expect(cert.secretName).toBe('storefront-tls');
  });

  test('wildcards, durations and the key are props', () => {
    const [cert] = synth({
      dnsNames: ['*.stage.example.com', 'stage.example.com'],
      duration: Duration.days(30),
      renewBefore: Duration.days(10),
      key: CertificateKey.RSA_2048,
    });
    expect(cert.spec).toMatchObject({
      dnsNames: ['*.stage.example.com', 'stage.example.com'],
      duration: '720h',
      renewBefore: '240h',
      privateKey: { algorithm: 'RSA', size: 2048, rotationPolicy: 'Always' },
    });
  });

  test('passes the upstream schema', () => {
    expect(validateObjects(synth())).toEqual([]);
    expect(validateObjects(synth({ duration: Duration.days(30), renewBefore: Duration.days(10), key: CertificateKey.RSA_2048 }))).toEqual([]);
  });

  test('fails if there is no host', () => {
    expect(() => synth({ dnsNames: [] })).toThrow('storefront: dnsNames is empty; fix: list the hosts the certificate is for');
  });

  test('fails if a host is not a lower-case host name, or appears twice', () => {
    expect(() => synth({ dnsNames: ['Shop.Example.com'] })).toThrow('storefront: dnsNames[0] "Shop.Example.com" is not a lower-case host name');
    expect(() => synth({ dnsNames: ['https://shop.example.com'] })).toThrow('is not a lower-case host name');
    expect(() => synth({ dnsNames: ['shop.example.com', 'shop.example.com'] })).toThrow('dnsNames[1] "shop.example.com" appears twice');
  });

  test('fails if the issuer or the Secret is not a Kubernetes name', () => {
    expect(() => synth({ clusterIssuer: 'Lets Encrypt' })).toThrow('clusterIssuer "Lets Encrypt" is not a Kubernetes object name');
    expect(() => synth({ secretName: '' })).toThrow('secretName "" is not a Kubernetes object name');
  });

  test('fails if a duration is not whole hours, or renewal does not come before expiry', () => {
    expect(() => synth({ duration: Duration.minutes(90) })).toThrow('storefront: duration (5400000ms) is not a whole number of hours');
    expect(() => synth({ duration: Duration.days(30), renewBefore: Duration.days(30) })).toThrow(
      'storefront: renewBefore (720h) must be longer than zero and shorter than duration (720h); fix: shorten renewBefore',
    );
  });
});
