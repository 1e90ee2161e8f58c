import { test } from "node:test";
import assert from "node:assert/strict";
import { useLocalApp } from "../../support/local-app.ts";
import { previewFaultCampaign } from "../../support/preview-fault-campaign.ts";

const app = useLocalApp({ buildId: "campaign" });

test("fault campaign: 50 preview updates with 20 % of GitHub calls faulted — one comment, every deployment final", async () => {
  const result = await previewFaultCampaign(app, { runs: 50, rate: 0.2, seed: 5 });
  console.log(`preview campaign: ${JSON.stringify(result)}`);
  assert.ok(result.faulted > 20, "the campaign injected faults");
  assert.equal(result.markedComments, 1, "no duplicate comment");
  assert.equal(result.withoutFinalStatus, 0, "no deployment left without a final status");
  assert.equal(result.deployments, 50, "one deployment per pushed SHA, none duplicated");
  assert.equal(result.violations, 0);
});
