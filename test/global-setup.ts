import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Testing.app() of cdk8s and cdktf makes a temporary directory per call and never removes it. The
 * whole run gets one temporary root, which workers inherit through TMPDIR and teardown removes.
 */
export default function globalSetup(): void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-jest-'));
  process.env.PLATFORM_JEST_TMPDIR = root;
  process.env.TMPDIR = root;
}
