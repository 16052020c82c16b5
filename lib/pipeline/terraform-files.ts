import { platformStacks } from '../../infra/platform-stacks';
import { type OutputFile } from '../engine/output';
import { outputLayout, SHARED_SCOPES } from '../model/output-layout';
import { synthStack } from '../engine/terraform';
import { type Platform } from '../model/platform';

/** The Terraform plane: one `main.tf.json` per stack. */
export function terraformFiles(platform: Platform): OutputFile[] {
  return platformStacks(platform).map(({ name, stack }) => ({
    path: outputLayout.terraformStack(name),
    content: synthStack(stack),
    scope: SHARED_SCOPES.terraform,
  }));
}
