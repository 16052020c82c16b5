import { compareSemver, containerImages, parseImage, rollbackReason, tagRollbacks } from '../../lib/diff/image-tags';

test('parseImage splits the tag, not a registry port, and drops the digest', () => {
  expect(parseImage('europe-west1-docker.pkg.dev/p/r/web:v1.2.3')).toEqual({ repository: 'europe-west1-docker.pkg.dev/p/r/web', tag: 'v1.2.3' });
  expect(parseImage('localhost:5000/web')).toEqual({ repository: 'localhost:5000/web' });
  expect(parseImage(`localhost:5000/web:1.0.0@sha256:${'a'.repeat(64)}`)).toEqual({ repository: 'localhost:5000/web', tag: '1.0.0' });
});

test.each([
  ['v1.3.0', 'v1.3.1', -1],
  ['v1.10.0', 'v1.9.9', 1],
  ['v2.0.0-rc.1', 'v2.0.0', -1],
  ['v2.0.0-rc.2', 'v2.0.0-rc.10', -1],
  ['v2.0.0-alpha', 'v2.0.0-1', 1],
  ['1.0.0', 'v1.0.0', 0],
  // Build metadata has no precedence (semver.org item 10).
  ['v1.0.0+build.2', 'v1.0.0+build.1', 0],
])('compareSemver(%s, %s) has the sign of %d', (a, b, sign) => {
  expect(Math.sign(compareSemver(a, b) ?? Number.NaN)).toBe(sign);
});

test('compareSemver has no order for non-semver tags', () => {
  expect(compareSemver('latest', 'v1.0.0')).toBeUndefined();
  expect(compareSemver('v1.2', 'v1.0.0')).toBeUndefined();
  expect(compareSemver('v01.2.3', 'v1.0.0')).toBeUndefined();
});

test('containerImages finds containers wherever a pod template sits', () => {
  const cronJob = {
    kind: 'CronJob',
    spec: { jobTemplate: { spec: { template: { spec: { initContainers: [{ name: 'migrate', image: 'r/m:v1.0.0' }], containers: [{ name: 'app', image: 'r/a:v1.0.0' }] } } } } },
  };
  expect([...containerImages(cronJob).values()]).toEqual(['r/m:v1.0.0', 'r/a:v1.0.0']);
});

test('tagRollbacks compares each container with itself, within one repository', () => {
  const pod = (images: Record<string, string>) => ({ spec: { containers: Object.entries(images).map(([name, image]) => ({ name, image })) } });
  expect(tagRollbacks(pod({ app: 'r/a:v1.2.0', proxy: 'r/p:v3.0.0' }), pod({ app: 'r/a:v1.1.9', proxy: 'r/p:v3.1.0' }))).toEqual([
    { container: 'app', repository: 'r/a', from: 'v1.2.0', to: 'v1.1.9' },
  ]);
  expect(tagRollbacks(pod({ app: 'r/a:v1.2.0' }), pod({ app: 'r/b:v1.0.0' }))).toEqual([]);
});

test('rollbackReason gives one line per object: containers that moved alike share a clause', () => {
  const pod = (tags: Record<string, string>) => ({
    spec: {
      containers: [{ name: 'app', image: `r/a:${tags.app}` }, { name: 'proxy', image: `r/p:${tags.proxy}` }],
      initContainers: [{ name: 'migrate', image: `r/a:${tags.migrate}` }],
    },
  });
  const before = pod({ app: 'v1.2.0', proxy: 'v3.0.0', migrate: 'v1.2.0' });
  expect(rollbackReason(tagRollbacks(before, pod({ app: 'v1.1.9', proxy: 'v3.0.0', migrate: 'v1.2.0' })))).toBe(
    'container app: r/a tag v1.2.0 → v1.1.9 goes backwards',
  );
  expect(rollbackReason(tagRollbacks(before, pod({ app: 'v1.1.9', proxy: 'v3.0.0', migrate: 'v1.1.9' })))).toBe(
    'containers app and migrate: r/a tag v1.2.0 → v1.1.9 goes backwards',
  );
  expect(rollbackReason(tagRollbacks(before, pod({ app: 'v1.1.9', proxy: 'v2.9.0', migrate: 'v1.1.9' })))).toBe(
    'containers app and migrate: r/a tag v1.2.0 → v1.1.9 goes backwards; container proxy: r/p tag v3.0.0 → v2.9.0 goes backwards',
  );
});
