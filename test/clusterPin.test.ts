import { strict as assert } from "node:assert";
import * as path from "node:path";
import { offlineEksCluster, renderStack } from "../cli/renderRuntime";
import { clusterPinProblem, kubeconfigPath, kubeContextTarget, type EksCluster } from "../core/install/clusterPin";
import { ROOT } from "./support/fixtures";
import { ONE_APP_CATALOGUE, render } from "./support/render";
import { kubeconfigText, withKubeconfig } from "./support/kubeconfig";

const PROD: EksCluster = {
    name: "eodhp-prod",
    arn: "arn:aws:eks:eu-west-2:123456789012:cluster/eodhp-prod",
    endpoint: "https://AAAA1111.gr7.eu-west-2.eks.amazonaws.com",
};
const TEST: EksCluster = {
    name: "eodhp-test",
    arn: "arn:aws:eks:eu-west-2:123456789012:cluster/eodhp-test",
    endpoint: "https://BBBB2222.gr7.eu-west-2.eks.amazonaws.com",
};

describe("each stack is pinned to its EKS cluster", () => {
    it("passes when the context points at the stack's cluster, however the URL is spelt", () => {
        const text = kubeconfigText("eodhp-prod", { ...PROD, endpoint: "https://aaaa1111.gr7.eu-west-2.eks.amazonaws.com:443/" });
        assert.equal(clusterPinProblem(kubeContextTarget({ file: "kubeconfig", text }, "eodhp-prod"), PROD, "eu-west-2"), undefined);
    });

    it("fails when the context points at another cluster, naming both clusters", () => {
        // The context is called eodhp-prod but was written for the test cluster.
        const target = kubeContextTarget({ file: "/home/ops/.kube/config", text: kubeconfigText("eodhp-prod", TEST) }, "eodhp-prod");
        const problem = clusterPinProblem(target, PROD, "eu-west-2") ?? "";
        assert.match(
            problem,
            /kube context "eodhp-prod" \(\/home\/ops\/\.kube\/config\) points at cluster arn:aws:eks:eu-west-2:123456789012:cluster\/eodhp-test/,
        );
        assert.ok(problem.includes(TEST.endpoint) && problem.includes(PROD.endpoint) && problem.includes(PROD.arn), problem);
        assert.match(problem, /nothing was changed/);
        assert.match(problem, /aws eks update-kubeconfig --name eodhp-prod --region eu-west-2/);
    });

    it("fails when the context is missing or the kubeconfig unreadable, naming the stack's cluster", () => {
        const missing = kubeContextTarget({ file: "k", text: kubeconfigText("eodhp-test", TEST) }, "eodhp-prod");
        assert.match(
            clusterPinProblem(missing, PROD, "eu-west-2") ?? "",
            /kube context "eodhp-prod" is not in k; this stack deploys to EKS cluster eodhp-prod/,
        );
        assert.match(clusterPinProblem(kubeContextTarget({ file: "/nowhere" }, "eodhp-prod"), PROD, "eu-west-2") ?? "", /cannot read the kubeconfig \/nowhere/);
        assert.match(clusterPinProblem(kubeContextTarget({ file: "k", text: "{ not yaml" }, "eodhp-prod"), PROD, "eu-west-2") ?? "", /cannot parse/);
    });

    it("reads the file the provider reads: $KUBECONFIG as one path, else ~/.kube/config", () => {
        assert.equal(kubeconfigPath({}, "/home/ops"), "/home/ops/.kube/config");
        assert.equal(kubeconfigPath({ KUBECONFIG: "~/eks.yaml" }, "/home/ops"), "/home/ops/eks.yaml");
        assert.equal(kubeconfigPath({ KUBECONFIG: "/etc/kube/prod" }, "/home/ops"), "/etc/kube/prod");
    });

    it("the shipped stacks keep their context and set no kubeconfig or cluster, so adding clusterIdentifier replaces nothing", async function () {
        this.timeout(60000);
        for (const stack of ["prod", "test", "staging"]) {
            const provider = (await render({ stack, ...(stack === "prod" ? { catalogue: ONE_APP_CATALOGUE } : {}) })).resources.find(
                (resource) => resource.type === "pulumi:providers:kubernetes",
            );
            // DiffConfig replaces on a changed kubeconfig, context or cluster; none of them is set differently.
            assert.equal(provider?.inputs.context, `eodhp-${stack}`);
            assert.equal(provider?.inputs.kubeconfig, undefined);
            assert.equal(provider?.inputs.cluster, undefined);
            assert.equal(provider?.inputs.clusterIdentifier, offlineEksCluster(`eodhp-${stack}`).arn);
        }
    });

    it("a stack whose context points elsewhere fails in index.ts and registers no Kubernetes resource", async function () {
        this.timeout(60000);
        const program = path.join(ROOT, "index.ts");
        let failure = "";
        // The test stack's context, written for the prod cluster.
        const result = await withKubeconfig(kubeconfigText("eodhp-test", offlineEksCluster("eodhp-prod")), () =>
            renderStack({ stack: "test" }, async () => {
                delete require.cache[require.resolve(program)];
                await require(program).catch((error: Error) => (failure = error.message));
                return {};
            }),
        );
        assert.match(
            failure,
            /^Pulumi\.test\.yaml: stack "test": eodhp-kargo:kubeContext: kube context "eodhp-test" \(\$KUBECONFIG\) points at cluster .*cluster\/eodhp-prod/,
        );
        assert.match(failure, /but this stack deploys to EKS cluster eodhp-test/);
        assert.deepEqual(
            result.resources.map((resource) => resource.type),
            ["pulumi:providers:aws"],
            "only the AWS provider that looked the cluster up",
        );
    });
});
