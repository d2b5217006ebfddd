import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { Activity } from "../progress";
import { renderStatus } from "../status";

describe("Activity", () => {
  it("follows work-done progress from begin to end", () => {
    const activity = new Activity();
    activity.progress("idx", { kind: "begin", title: "Indexing", percentage: 0 });
    assert.equal(activity.summary(), "Indexing (0%)");
    activity.progress("idx", { kind: "report", message: "12/40 files", percentage: 30.4 });
    assert.equal(activity.summary(), "Indexing: 12/40 files (30%)");
    activity.progress("idx", { kind: "end" });
    assert.equal(activity.summary(), undefined);
  });

  it("counts concurrent work and ignores reports for unknown tokens", async () => {
    const activity = new Activity();
    activity.progress(7, { kind: "report", message: "stray" });
    activity.progress(1, { kind: "begin", title: "Indexing" });
    let during: string | undefined;
    await activity.during("asking the model", () => {
      during = activity.summary();
      return Promise.resolve();
    });
    assert.equal(during, "Indexing (+1)");
    assert.equal(activity.summary(), "Indexing");
  });

  it("ends local work even when it fails", async () => {
    const activity = new Activity();
    await assert.rejects(activity.during("x", () => Promise.reject(new Error("boom"))));
    assert.equal(activity.summary(), undefined);
  });
});

describe("renderStatus", () => {
  it("shows activity while running, else the server's state", () => {
    assert.deepEqual(renderStatus("running", "Indexing (50%)"), {
      text: "$(sync~spin) pyloom: Indexing (50%)",
      tooltip: "pyloom is working: Indexing (50%)",
    });
    assert.equal(renderStatus("running", undefined).text, "$(check) pyloom");
    assert.equal(renderStatus("stopped", "stale").text, "$(error) pyloom");
    assert.equal(renderStatus("missing", undefined).tooltip, "pyloom was not found; install it, then click to look again");
  });

  it("names the binary in use and where it was found", () => {
    const binary = { path: "/ws/.venv/bin/pyloom", source: "the workspace's .venv" };
    assert.equal(
      renderStatus("running", undefined, binary).tooltip,
      "pyloom is ready; click for its status\n/ws/.venv/bin/pyloom (from the workspace's .venv)",
    );
    assert.equal(renderStatus("running", "Indexing", binary).tooltip, "pyloom is working: Indexing\n/ws/.venv/bin/pyloom (from the workspace's .venv)");
  });

  it("names the Python environment the server resolves outside names in", () => {
    const environment = { label: "Python 3.12 (.venv)", description: "Python 3.12 at /ws/.venv/bin/python, found by the workspace's virtualenv" };
    const rendered = renderStatus("running", undefined, undefined, environment);
    assert.equal(rendered.text, "$(check) pyloom · Python 3.12 (.venv)");
    assert.equal(rendered.tooltip, `pyloom is ready; click for its status\nPython environment: ${environment.description}`);
    assert.equal(renderStatus("stopped", undefined, undefined, environment).text, "$(error) pyloom");
  });
});
