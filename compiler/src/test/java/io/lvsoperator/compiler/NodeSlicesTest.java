package io.lvsoperator.compiler;

import static io.lvsoperator.compiler.TestingManifests.input;
import static io.lvsoperator.compiler.TestingManifests.json;
import static io.lvsoperator.compiler.TestingManifests.node;
import static io.lvsoperator.compiler.TestingManifests.vri;
import static io.lvsoperator.compiler.TestingManifests.vs;
import static io.lvsoperator.compiler.TestingManifests.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvsoperator.api.v1alpha1.LvsNodeSliceSpec;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Cutting a node's spec into a head and slices, and putting it back together. */
class NodeSlicesTest {
  private static final List<NodeInfo> NODES =
      List.of(node("n1", "192.0.2.1"), node("n2", "192.0.2.2"), node("n3", "192.0.2.3"));

  /**
   * A cluster drawn at random: VrrpInstances with addresses of their own, VirtualServers sharing
   * VIPs or not, in instances or not, with additional addresses, firewall marks, sorry servers,
   * PASS authentication, DR real servers on the nodes, and every so often an excluded address or an
   * instance past 255 addresses.
   */
  static Map<String, LvsNodeSpec> randomCluster(Random r) {
    StringBuilder docs = new StringBuilder();
    docs.append(
        "apiVersion: v1\nkind: Secret\nmetadata: {name: auth, namespace: default}\n"
            + "stringData: {password: s3cret}\n---\n");
    int instances = r.nextInt(4);
    for (int i = 0; i < instances; i++) {
      StringBuilder spec = new StringBuilder(directors(r));
      if (r.nextBoolean()) {
        spec.append("vrrp: {version: 2, authPassSecretRef: {name: auth, key: password}}\n");
      }
      spec.append("addresses: [");
      for (int a = 0, n = r.nextInt(8) == 0 ? 250 + r.nextInt(20) : r.nextInt(3); a < n; a++) {
        spec.append(a == 0 ? "" : ", ")
            .append("{address: 10.9.")
            .append(i * 2 + a / 250)
            .append('.')
            .append(a % 250 + 1);
        spec.append(r.nextBoolean() ? ", label: 'eth0:x'}" : "}");
      }
      spec.append("]\n");
      if (r.nextInt(3) == 0) {
        spec.append("excludedAddresses: [{address: 10.8.").append(i).append(".1}]\n");
      }
      docs.append(vri("vi" + i, spec.toString()));
    }
    int virtualServers = 1 + r.nextInt(r.nextInt(8) == 0 ? 300 : 40);
    for (int v = 0; v < virtualServers; v++) {
      String vip = "10.0." + r.nextInt(2) + "." + (1 + r.nextInt(60));
      StringBuilder spec = new StringBuilder("vip: " + vip + "\n");
      int kind = r.nextInt(5);
      if (kind == 0) {
        spec.append("firewallMark: ").append(1 + v).append('\n');
      } else if (kind > 1) {
        spec.append("port: ").append(80 + v).append('\n');
      }
      if (instances > 0 && r.nextBoolean()) {
        spec.append("vrrpInstance: vi").append(r.nextInt(instances)).append('\n');
      } else {
        spec.append("directors: {nodes: [{name: n1}, {name: n2}]}\n");
      }
      if (kind != 1) {
        spec.append("realServers: [{address: 10.1.").append(v % 200).append(".1, port: 80");
        spec.append(r.nextBoolean() ? ", node: n3}" : "}").append("]\n");
        if (r.nextInt(4) == 0) {
          spec.append("sorryServer: {address: 10.2.0.1, port: 80}\nquorum: 2\n");
        }
      }
      if (kind > 1 && r.nextInt(4) == 0) {
        spec.append("additionalAddresses: [{address: 10.3.")
            .append(v % 200)
            .append(".1-")
            .append(1 + r.nextInt(4))
            .append("}]\n");
      }
      docs.append(vs("vs" + v, spec.toString()));
    }
    var set = yaml(docs.toString());
    for (int i = 0; i < set.virtualServers().size(); i++) {
      set.virtualServers().get(i).getMetadata().setGeneration(1L + r.nextInt(5));
    }
    return Compiler.compile(input(set, NODES)).nodes();
  }

  private static String directors(Random r) {
    return r.nextBoolean()
        ? "directors: {nodes: [{name: n1}, {name: n2}]}\n"
        : "directors: {nodes: [{name: n2}, {name: n1, priority: 200}]}\n";
  }

  @Test
  void mergeOfSplitIsTheSpecForRandomClustersBudgetsAndPreviousSlices() {
    Random r = new Random(20261203);
    int specs = 0;
    int multiSlice = 0;
    int overflowing = 0;
    for (int round = 0; round < 150; round++) {
      Map<String, LvsNodeSpec> before = randomCluster(r);
      Map<String, LvsNodeSpec> after = randomCluster(r);
      for (var e : after.entrySet()) {
        int budget = 1024 + r.nextInt(16 * 1024);
        Map<String, LvsNodeSliceSpec> existing =
            before.containsKey(e.getKey())
                ? NodeSlices.split(e.getKey(), before.get(e.getKey()), Map.of(), budget).slices()
                : Map.of();
        var plan = NodeSlices.split(e.getKey(), e.getValue(), existing, budget);
        var merged = NodeSlices.merge(plan.head(), plan.slices().values(), plan.authPasswords());
        assertThat(json(merged))
            .as("round %d node %s", round, e.getKey())
            .isEqualTo(json(e.getValue()));
        assertThat(merged).isEqualTo(e.getValue());
        assertThat(applied(existing, plan.writes())).isEqualTo(plan.slices());
        specs++;
        multiSlice += plan.slices().size() > 1 ? 1 : 0;
        overflowing +=
            e.getValue().vrrpInstances().stream().anyMatch(i -> i.vips().size() == 255) ? 1 : 0;
      }
    }
    assertThat(specs).isGreaterThan(300);
    assertThat(overflowing).as("specs with an instance past 255 addresses").isGreaterThan(10);
    assertThat(multiSlice).as("specs that needed several slices").isGreaterThan(50);
  }

  /** The slices after {@code writes} on {@code existing}. */
  private static SortedMap<String, LvsNodeSliceSpec> applied(
      Map<String, LvsNodeSliceSpec> existing, List<NodeSlices.Write> writes) {
    SortedMap<String, LvsNodeSliceSpec> out = new TreeMap<>(existing);
    for (var w : writes) {
      if (w.kind() == NodeSlices.Write.Kind.DELETE) {
        out.remove(w.name());
      } else {
        out.put(w.name(), w.spec());
      }
    }
    return out;
  }

  /**
   * {@code count} (at most 255: one VRID each) VirtualServers on n1 with two real servers each;
   * {@code vs7} gets {@code extra7} added (or, when it lists real servers, in place of its two).
   */
  private static String many(int count, String extra7) {
    StringBuilder docs = new StringBuilder();
    for (int v = 0; v < count; v++) {
      String realServers = "realServers: [{address: 10.1.0.1}, {address: 10.1.0.2}]\n";
      String extra = "";
      if (v == 7 && extra7.startsWith("realServers")) {
        realServers = extra7;
      } else if (v == 7) {
        extra = extra7;
      }
      docs.append(
          vs(
              "vs" + v,
              "vip: 10.0."
                  + (v / 200)
                  + "."
                  + (v % 200 + 1)
                  + "\nport: 80\n"
                  + "directors: {nodes: [{name: n1}]}\n"
                  + realServers
                  + extra));
    }
    return docs.toString();
  }

  private static LvsNodeSpec n1(String manifests) {
    return Compiler.compile(input(yaml(manifests), NODES)).nodes().get("n1");
  }

  @Test
  void oneChangedVirtualServerRewritesExactlyTheSliceThatHoldsIt() {
    var first = NodeSlices.split("n1", n1(many(250, "")), Map.of(), 16 * 1024);
    assertThat(first.slices()).hasSizeGreaterThan(4);
    assertThat(first.writes()).hasSize(first.slices().size());

    var changed = n1(many(250, "scheduler: rr\n"));
    var second = NodeSlices.split("n1", changed, first.slices(), 16 * 1024);

    assertThat(second.head()).isEqualTo(first.head());
    assertThat(second.writes())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.kind()).isEqualTo(NodeSlices.Write.Kind.PUT);
              assertThat(w.spec().entries()).anyMatch(e -> e.source().name().equals("vs7"));
              assertThat(first.slices().get(w.name()).entries())
                  .anyMatch(e -> e.source().name().equals("vs7"));
            });
    var unchanged =
        NodeSlices.split("n1", n1(many(250, "scheduler: rr\n")), second.slices(), 16 * 1024);
    assertThat(unchanged.writes()).as("nothing changed, nothing written").isEmpty();
  }

  @Test
  void anEntryThatMovesIsWrittenToItsNewSliceBeforeItLeavesTheOldOne() {
    var first = NodeSlices.split("n1", n1(many(60, "")), Map.of(), 8 * 1024);
    StringBuilder grown = new StringBuilder("realServers:\n");
    for (int i = 1; i <= 60; i++) {
      grown.append("  - {address: 10.5.0.").append(i).append("}\n");
    }
    var second = NodeSlices.split("n1", n1(many(60, grown.toString())), first.slices(), 8 * 1024);

    Map<String, String> before = sliceOf(first.slices());
    Map<String, String> after = sliceOf(second.slices());
    List<String> order = second.writes().stream().map(NodeSlices.Write::name).toList();
    int moved = 0;
    for (var e : after.entrySet()) {
      String from = before.get(e.getKey());
      if (from != null && !from.equals(e.getValue())) {
        moved++;
        assertThat(order.indexOf(e.getValue()))
            .as("%s moves from %s to %s", e.getKey(), from, e.getValue())
            .isNotNegative()
            .isLessThan(order.indexOf(from));
      }
    }
    assertThat(moved).isPositive();
  }

  /** The slice of each entry, by VirtualServer name. */
  private static Map<String, String> sliceOf(Map<String, LvsNodeSliceSpec> slices) {
    Map<String, String> out = new HashMap<>();
    slices.forEach((name, s) -> s.entries().forEach(e -> out.put(e.source().name(), name)));
    return out;
  }

  @Test
  void theHeadHoldsNoPasswordOnlyItsKey() {
    String manifests =
        "apiVersion: v1\nkind: Secret\nmetadata: {name: auth, namespace: default}\n"
            + "stringData: {password: s3cret}\n---\n"
            + vri(
                "vi",
                "directors: {nodes: [{name: n1}]}\n"
                    + "vrrp: {version: 2, authPassSecretRef: {name: auth, key: password}}\n"
                    + "addresses: [{address: 10.9.0.1}]")
            + vs(
                "web",
                "vip: 10.0.0.1\nport: 80\ndirectors: {nodes: [{name: n1}]}\n"
                    + "vrrp: {version: 2, authPassSecretRef: {name: auth, key: password}}")
            + vs("member", "vip: 10.0.0.2\nport: 80\nvrrpInstance: vi");
    var plan = NodeSlices.split("n1", n1(manifests), Map.of(), NodeSlices.TARGET_BYTES);
    assertThat(json(plan.head())).doesNotContain("s3cret");
    assertThat(json(plan.slices())).doesNotContain("s3cret");
    assertThat(plan.authPasswords())
        .containsExactly(Map.entry("default.vi", "s3cret"), Map.entry("vs_default.web", "s3cret"));
    assertThat(plan.head().vrrpInstances())
        .extracting(LvsNodeSpec.VrrpInstance::authPassKey)
        .containsExactlyInAnyOrder("default.vi", "vs_default.web");
    assertThat(plan.head().vrrpInstances())
        .flatExtracting(LvsNodeSpec.VrrpInstance::vips)
        .extracting(LvsNodeSpec.Vip::address)
        .as("only the VrrpInstance's own address is in the head")
        .containsExactly("10.9.0.1");
    LvsNodeSpec whole = n1(manifests);
    assertThat(NodeSlices.head(whole)).isEqualTo(plan.head());
    assertThat(NodeSlices.authPasswords(whole)).isEqualTo(plan.authPasswords());
    assertThatThrownBy(() -> NodeSlices.merge(plan.head(), plan.slices().values(), Map.of()))
        .hasMessageMatching(
            "vrrpInstances\\[eth0-[0-9]+\\]\\.authPassKey: (vs_)?default\\.(vi|web) has no value");
  }

  @Test
  void aDeletedVirtualServerLeavesItsSliceAndAnEmptySliceIsDeletedLast() {
    var first = NodeSlices.split("n1", n1(many(40, "")), Map.of(), 6 * 1024);
    String lastSlice = first.slices().lastKey();
    var keep =
        first.slices().entrySet().stream()
            .filter(s -> !s.getKey().equals(lastSlice))
            .flatMap(s -> s.getValue().entries().stream())
            .map(e -> e.source().name())
            .toList();
    StringBuilder docs = new StringBuilder();
    for (String name : keep) {
      int v = Integer.parseInt(name.substring(2));
      docs.append(
          vs(
              name,
              "vip: 10.0."
                  + (v / 200)
                  + "."
                  + (v % 200 + 1)
                  + "\nport: 80\n"
                  + "directors: {nodes: [{name: n1}]}\n"
                  + "realServers: [{address: 10.1.0.1}, {address: 10.1.0.2}]\n"));
    }
    var second = NodeSlices.split("n1", n1(docs.toString()), first.slices(), 6 * 1024);
    assertThat(second.writes())
        .containsExactly(new NodeSlices.Write(NodeSlices.Write.Kind.DELETE, lastSlice, null));
  }

  @Test
  void aSliceNameStaysAnObjectNameForLongNodeNames() {
    String node = "n".repeat(250);
    String name = NodeSlices.sliceName(node, 12);
    assertThat(name).hasSizeLessThanOrEqualTo(253).endsWith("-12").startsWith("nnnn");
    assertThat(NodeSlices.sliceName(node, 13)).isNotEqualTo(name);
    assertThat(NodeSlices.sliceName("lvs1", 0)).isEqualTo("lvs1-0");
  }

  @Test
  void anItemWithoutASourceCannotBeSliced() {
    var spec = n1(many(2, ""));
    var orphan =
        new LvsNodeSpec(
            spec.vrrpInstances(),
            List.of(
                new LvsNodeSpec.IpvsService(
                    "10.0.0.9", 80, null, null, 0, null, null, null, null, List.of())),
            List.of(),
            spec.sources());
    assertThatThrownBy(() -> NodeSlices.split("n1", orphan, new HashMap<>(), 1024))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ipvsServices[0].source: null names no sources[] entry");
  }
}
