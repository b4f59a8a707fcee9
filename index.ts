/**
 * eodhp-kargo: Kargo for the EO DataHub, hub and spoke. The `prod` stack is the hub (full Kargo, the remote
 * controllers' identities, the `eodhp` project from catalogue.yaml); `test` and `staging` run shard
 * controllers only. Config → plan (validated before the first resource is registered) → deploy.
 */
import * as pulumi from "@pulumi/pulumi";
import { deployStack } from "./deploy";
import { loadStackPlan, readKubeconfig } from "./core/plan/loadStack";

// Stack outputs (`pulumi stack output`): only the role's own, so no output is ever undefined (Pulumi warns
// "Undefined value (…) will not show as a stack output" for each undefined export). The export is a promise,
// which Pulumi awaits (@pulumi/pulumi 3.270.0 cmd/run/run.js: `return await invokeResult`): deployStack
// checks the kube context against the EKS cluster before it registers any Kubernetes resource.
export = deployStack(loadStackPlan(pulumi.getStack(), pulumi.runtime.allConfig(), __dirname), readKubeconfig(process.env));
