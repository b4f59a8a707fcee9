import { strict as assert } from "node:assert";
import { hubChartValues } from "../core/install/chartValues";
import { hubSettings } from "./support/fixtures";

describe("argocdUrls: UI deep links to each shard's Argo CD", () => {
    it("puts the map into the chart's api.argocd.urls, and nothing when unset", () => {
        const urls = { "prod-shard": "https://argocd.eodatahub.org.uk", "test-shard": "https://argocd.test.eodatahub.org.uk" };
        const api = hubChartValues(hubSettings({ argocdUrls: JSON.stringify(urls) })).api as { argocd?: { urls: Record<string, string> } };
        assert.deepEqual(api.argocd, { urls });
        assert.equal((hubChartValues(hubSettings()).api as { argocd?: unknown }).argocd, undefined);
    });

    it("rejects an unknown shard (with a suggestion) and a non-https URL, naming the key", () => {
        assert.throws(
            () => hubSettings({ argocdUrls: JSON.stringify({ "test-shrad": "https://a.example" }) }),
            /eodhp-kargo:argocdUrls\.test-shrad: unknown shard "test-shrad" \(did you mean "test-shard"\?\)/,
        );
        assert.throws(
            () => hubSettings({ argocdUrls: JSON.stringify({ "test-shard": "http://a.example" }) }),
            /eodhp-kargo:argocdUrls\.test-shard: must be an https:\/\/ URL/,
        );
        assert.throws(() => hubSettings({ argocdUrls: "[1]" }), /eodhp-kargo:argocdUrls: must be a mapping, got a list/);
    });
});
