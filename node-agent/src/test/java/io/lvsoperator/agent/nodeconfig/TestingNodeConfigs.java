package io.lvsoperator.agent.nodeconfig;

import io.lvsoperator.agent.process.StandaloneInputs;
import io.lvsoperator.api.manifest.ManifestReader;
import io.lvsoperator.api.v1alpha1.LvsNodeSliceSpec;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.compiler.Compiler;
import io.lvsoperator.compiler.NodeInfo;
import io.lvsoperator.compiler.NodeSlices;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Node configs as the operator writes them: a compiled spec cut into a head and slices. */
public final class TestingNodeConfigs {
  private TestingNodeConfigs() {}

  /** Node {@code node}'s complete spec compiled from examples/reference. */
  public static LvsNodeSpec reference(String node) throws Exception {
    var set = ManifestReader.readDirectory(Path.of("..", "examples", "reference"));
    return Compiler.compile(StandaloneInputs.from(set, NodeInfo.named(node), Map.of(), Map.of()))
        .nodes()
        .get(node);
  }

  /** {@code spec} as the operator writes it: the head as an LvsNode spec, slices, passwords. */
  public static NodeConfig split(String node, LvsNodeSpec spec, long generation) {
    NodeSlices.Plan plan = NodeSlices.split(node, spec, Map.of(), NodeSlices.TARGET_BYTES);
    TreeMap<String, NodeConfig.Slice> slices = new TreeMap<>();
    plan.slices().forEach((name, s) -> slices.put(name, new NodeConfig.Slice(generation, s)));
    return new NodeConfig(head(plan), generation, slices, plan.authPasswords());
  }

  /** The head of a plan as the spec of an LvsNode. */
  public static LvsNodeSpec head(NodeSlices.Plan plan) {
    return new LvsNodeSpec(
        plan.head().vrrpInstances(), List.of(), List.of(), List.of(), plan.head().syncGroups());
  }

  /** One slice of {@code slices} with its entries. */
  public static NodeConfig.Slice slice(long generation, String node, LvsNodeSliceSpec.Entry... e) {
    return new NodeConfig.Slice(generation, new LvsNodeSliceSpec(node, List.of(e)));
  }
}
