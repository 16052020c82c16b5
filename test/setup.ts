import { Testing } from 'cdktf';

// cdktf's matchers: toHaveResourceWithProperties, toBeValidTerraform, ...
Testing.setupJest();
