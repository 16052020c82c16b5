import * as fs from 'node:fs';

/** Removes the run's temporary root made by global-setup.ts. */
export default function globalTeardown(): void {
  const root = process.env.PLATFORM_JEST_TMPDIR;
  if (root !== undefined) fs.rmSync(root, { recursive: true, force: true });
}
