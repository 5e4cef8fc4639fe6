// Entry point of `cdk synth` / `cdk deploy` (infra/cdk/cdk.json). The image tag comes from the context:
//   npx cdk deploy Dynaprice-dev -c imageTag=$GITHUB_SHA
// Without one, the stacks synthesise with the placeholder tag `unset`: fine for `cdk synth` in a pull request,
// refused by the deploy workflows.
import { buildApp } from '../lib/app';

buildApp().app.synth();
