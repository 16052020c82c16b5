import { type TerraformStack } from 'cdktf';

/** OpenTofu 1.6 is the oldest release whose gcs backend and JSON syntax these stacks use. */
export const REQUIRED_VERSION = '>= 1.6.0';
/** The google provider the generated bindings were built from. */
export const GOOGLE_PROVIDER_VERSION = '6.50.0';

/** Pins the OpenTofu and provider versions of a stack. */
export function pinTofu(stack: TerraformStack): void {
  stack.addOverride('terraform.required_version', REQUIRED_VERSION);
  stack.addOverride('terraform.required_providers.google.version', GOOGLE_PROVIDER_VERSION);
}
