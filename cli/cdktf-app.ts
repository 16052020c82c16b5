// Entry point for the cdktf CLI (`npx cdktf synth`, see cdktf.json). `npm run synth` does not use
// it: the platform CLI synthesizes both planes in memory and writes only what changed.
import { App } from 'cdktf';
import { samplePlatform } from '../apps/platform';
import { platformStacks } from '../infra/platform-stacks';

const app = new App();
platformStacks(samplePlatform(), () => app);
app.synth();
