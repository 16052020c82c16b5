#!/usr/bin/env node
// Runs a TypeScript entry point of this project: esbuild bundles the project's own sources into one
// CommonJS file under .build/, then Node requires it. Packages stay external, except the ES-module-only
// kubernetes-models schema packages, which are bundled through their "import" condition so that code
// loading them (the schema validator) runs on Node 20; the synth path imports only their types, so
// nothing of them reaches its bundle. The bundle is reused while every source file it was built from
// keeps its size and modification time, so the code that runs is always the code in the tree.
// Type-checking is the job of `npm test`.
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const root = path.resolve(__dirname, '..');
const outDir = path.join(root, '.build');
const WORKERS = ['cli/terraform-worker.ts'];
// The same list as jest.resolver.js.
const ESM_ONLY = /^(kubernetes-models|@kubernetes-models\/[^/]+|is-cidr|cidr-regex)(\/|$)/;

/** Marks every bare import external but the ES-module-only packages. */
const externalPackages = {
  name: 'external-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => (ESM_ONLY.test(args.path) ? undefined : { external: true }));
  },
};

function stamp(file) {
  try {
    const s = fs.statSync(path.resolve(root, file));
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

function upToDate(target, stampFile) {
  try {
    const inputs = JSON.parse(fs.readFileSync(stampFile, 'utf8'));
    const workers = WORKERS.map((file) => path.join(outDir, path.basename(file).replace(/\.ts$/, '.js')));
    return [target, ...workers].every((file) => fs.existsSync(file)) && Object.entries(inputs).every(([file, was]) => stamp(file) === was);
  } catch {
    return false;
  }
}

/** Bundles one entry into `out` through a temporary file; concurrent runs rename atomically. */
async function build(esbuild, entryFile, out) {
  const temp = `${out}.${process.pid}.tmp`;
  const result = await esbuild.build({
    entryPoints: [entryFile],
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    plugins: [externalPackages],
    // Lets `require('kubernetes-models/...')` resolve too: these packages export "import" only.
    conditions: ['import'],
    outfile: temp,
    metafile: true,
    logLevel: 'error',
  });
  return { result, commit: () => fs.renameSync(temp, out) };
}

// esbuild runs plugins only in its asynchronous API.
async function bundle(source, target, stampFile) {
  const esbuild = require('esbuild');
  fs.mkdirSync(outDir, { recursive: true });
  // The worker thread's script is bundled beside every entry point: the Terraform plane's
  // (cli/platform-output.ts).
  const builds = await Promise.all([
    build(esbuild, source, target),
    ...WORKERS.map((file) => build(esbuild, path.join(root, file), path.join(outDir, path.basename(file).replace(/\.ts$/, '.js')))),
  ]);
  const inputs = {};
  for (const file of builds.flatMap((b) => Object.keys(b.result.metafile.inputs)).sort()) inputs[file] = stamp(file);
  fs.writeFileSync(`${stampFile}.${process.pid}.tmp`, JSON.stringify(inputs));
  for (const b of builds) b.commit();
  fs.renameSync(`${stampFile}.${process.pid}.tmp`, stampFile);
}

/**
 * Runs `entry` (a path from the project's top, such as cli/main.ts) with `args` as its command line,
 * bundling it first when a source file changed.
 */
function runEntry(entry, args) {
  const source = path.resolve(root, entry);
  const name = path.relative(root, source).replace(/\.ts$/, '').replace(/[\\/]/g, '_');
  const target = path.join(outDir, `${name}.js`);
  const stampFile = path.join(outDir, `${name}.inputs.json`);
  const run = () => {
    process.argv = [process.argv[0], source, ...args];
    require(target);
  };
  if (upToDate(target, stampFile)) {
    run();
    return;
  }
  bundle(source, target, stampFile).then(run, (error) => {
    // esbuild has already printed its own build errors.
    if (!Array.isArray(error.errors)) process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  });
}

module.exports = { runEntry };

if (require.main === module) {
  const [entry, ...args] = process.argv.slice(2);
  if (!entry) {
    process.stderr.write('usage: node scripts/run.js <entry.ts> [args...]\n');
    process.exit(2);
  }
  runEntry(entry, args);
}
