/**
 * eodhp-kargo: Kargo for the EO DataHub, hub and spoke. The `prod` stack is the hub (full Kargo, the remote
 * controllers' identities, the `eodhp` project from catalogue.yaml); `test` and `staging` run shard
 * controllers only. Config → plan (validated before the first resource is registered) → deploy.
 */
import * as pulumi from "@pulumi/pulumi";
import { deployStack } from "./deploy";
import { loadStackPlan } from "./core/plan/loadStack";

const outputs = deployStack(loadStackPlan(pulumi.getStack(), pulumi.runtime.allConfig(), __dirname));

// Stack outputs (`pulumi stack output`): the hub's four, or a spoke's shard.
export const kargoUrl = outputs.kargoUrl;
export const shards = outputs.shards;
export const remoteKubeconfigSecrets = outputs.remoteKubeconfigSecrets;
export const applications = outputs.applications;
export const shard = outputs.shard;
