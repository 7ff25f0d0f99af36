package io.lvsoperator.compiler;

import static io.lvsoperator.compiler.TestingManifests.input;
import static io.lvsoperator.compiler.TestingManifests.json;
import static io.lvsoperator.compiler.TestingManifests.node;
import static io.lvsoperator.compiler.TestingManifests.vri;
import static io.lvsoperator.compiler.TestingManifests.vs;
import static io.lvsoperator.compiler.TestingManifests.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.lvsoperator.api.manifest.ManifestSet;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.api.v1alpha1.VrrpInstance;
import io.lvsoperator.api.v1alpha1.VrrpInstanceStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** VrrpInstances: one VRID carrying many addresses, its members, and every way it can clash. */
class VrrpInstanceTest {
  private static final String DIRECTORS = "directors: {nodes: [{name: n1}, {name: n2}]}\n";
  private static final ObjectKey VI = new ObjectKey("default", "vi");
  private static final String OWN_ADDRESS = "addresses: [{address: 10.0.9.1}]\n";

  static String member(String vip, int port) {
    return "vip: " + vip + "\nport: " + port + "\nvrrpInstance: vi\n";
  }

  static String own(String vip, int port) {
    return "vip: " + vip + "\nport: " + port + "\n" + DIRECTORS;
  }

  static List<NodeInfo> nodes() {
    return List.of(node("n1", "192.0.2.1"), node("n2", "192.0.2.2"));
  }

  static CompileResult compile(ManifestSet set) {
    return Compiler.compile(input(set, nodes()));
  }

  /** Sets each object's creationTimestamp to its position in {@code oldestFirst}. */
  static ManifestSet aged(ManifestSet set, String... oldestFirst) {
    List<HasMetadata> all = new ArrayList<>(set.virtualServers());
    all.addAll(set.vrrpInstances());
    for (int i = 0; i < oldestFirst.length; i++) {
      String want = oldestFirst[i];
      HasMetadata o =
          all.stream()
              .filter(x -> (x.getKind() + "/" + x.getMetadata().getName()).equals(want))
              .findFirst()
              .orElseThrow();
      o.getMetadata().setCreationTimestamp("2026-01-01T00:00:%02dZ".formatted(i));
    }
    return set;
  }

  @Test
  void oneInstanceCarriesItsAddressesThenTheMembersVipsInNumericOrder() {
    ManifestSet set =
        yaml(
            vri(
                    "vi",
                    "vrrp: {interface: eth0, vipPrefixLength: 24, vipLabel: 'eth0:vi'}\n"
                        + DIRECTORS
                        + "addresses: [{address: 10.0.0.50}, {address: 10.0.0.5, prefixLength: 32,"
                        + " label: 'eth0:x'}, {address: 10.1.0.1, interface: eth1}]\n"
                        + "excludedAddresses: [{address: 10.0.0.99}]")
                + vs("web", member("10.0.0.20", 80))
                + vs("web-tls", member("10.0.0.20", 443))
                + vs("api", member("10.0.0.3", 80))
                + vs("listed", member("10.0.0.50", 8080)));
    CompileResult result = compile(set);

    var verdict = result.vrrpInstances().get(VI);
    assertThat(verdict.ok()).isTrue();
    assertThat(verdict.members())
        .extracting(ObjectKey::name)
        .containsExactly("api", "listed", "web", "web-tls");
    assertThat(verdict.advertisedAddresses()).isEqualTo(5);
    assertThat(verdict.excludedAddresses()).isEqualTo(1);
    assertThat(verdict.directors())
        .containsExactly(new DirectorAssignment("n1", 150), new DirectorAssignment("n2", 100));

    LvsNodeSpec n1 = result.nodes().get("n1");
    assertThat(n1.vrrpInstances()).hasSize(1);
    var instance = n1.vrrpInstances().getFirst();
    assertThat(instance.name()).isEqualTo(verdict.vrrpInstance());
    assertThat(instance.definedBy()).isEqualTo("default/vi");
    assertThat(instance.vips())
        .containsExactly(
            new LvsNodeSpec.Vip("10.0.0.50", 24, "eth0:vi", null, null),
            new LvsNodeSpec.Vip("10.0.0.5", 32, "eth0:x", null, null),
            new LvsNodeSpec.Vip("10.1.0.1", 24, null, "eth1", null),
            new LvsNodeSpec.Vip("10.0.0.3", 24, "eth0:vi", null, "default/api"),
            new LvsNodeSpec.Vip("10.0.0.20", 24, "eth0:vi", null, "default/web"));
    assertThat(instance.excludedVips())
        .containsExactly(new LvsNodeSpec.Vip("10.0.0.99", 24, "eth0:vi", null, null));
    assertThat(n1.ipvsServices())
        .extracting(LvsNodeSpec.IpvsService::vrrpInstance)
        .containsOnly(instance.name());
    assertThat(n1.ipvsServices())
        .extracting(s -> s.address() + ":" + s.port() + " " + s.source())
        .containsExactly(
            "10.0.0.20:80 default/web",
            "10.0.0.20:443 default/web-tls",
            "10.0.0.3:80 default/api",
            "10.0.0.50:8080 default/listed");
    for (String name : List.of("web", "web-tls", "api", "listed")) {
      var r = result.virtualServers().get(new ObjectKey("default", name));
      assertThat(r.ok()).as(name).isTrue();
      assertThat(r.vrrpInstance()).isEqualTo(instance.name());
      assertThat(r.directors()).isEqualTo(verdict.directors());
    }
    assertThat(result.nodes().get("n2").vrrpInstances().getFirst().priority()).isEqualTo(100);
  }

  @Test
  void theInstancesExampleCompilesToOneInstanceWithItsAddressesInOrder() throws Exception {
    ManifestSet set =
        io.lvsoperator.api.manifest.ManifestReader.readDirectory(
            java.nio.file.Path.of("..", "examples", "instances"));
    assertThat(set.problems()).isEmpty();
    CompileResult result =
        Compiler.compile(
            input(set, List.of(node("lvs1", "172.20.1.1"), node("lvs2", "172.20.1.2"))));
    var verdict = result.vrrpInstances().get(new ObjectKey("default", "web"));
    assertThat(verdict.ok()).isTrue();
    assertThat(verdict.virtualRouterId()).isEqualTo(52);
    assertThat(verdict.members())
        .extracting(ObjectKey::name)
        .containsExactly("api", "shop-http", "shop-https");
    result.virtualServers().values().forEach(r -> assertThat(r.ok()).as(r.key().name()).isTrue());
    for (var director : Map.of("lvs1", 100, "lvs2", 50).entrySet()) {
      LvsNodeSpec spec = result.nodes().get(director.getKey());
      var instance = spec.vrrpInstances().getFirst();
      assertThat(instance.priority()).isEqualTo(director.getValue());
      assertThat(instance.vips())
          .containsExactly(
              new LvsNodeSpec.Vip("172.20.1.110", 16, "eth0:2", null, null),
              new LvsNodeSpec.Vip("172.20.1.111", 16, "eth0:2", null, "default/shop-http"),
              new LvsNodeSpec.Vip("172.20.1.112", 16, "eth0:2", null, "default/api"));
      assertThat(instance.excludedVips())
          .containsExactly(new LvsNodeSpec.Vip("172.20.1.120", 16, "eth0:3", null, null));
      assertThat(spec.ipvsServices())
          .extracting(s -> s.address() + ":" + s.port() + " " + s.scheduler())
          .containsExactly("172.20.1.111:80 rr", "172.20.1.111:443 sh", "172.20.1.112:80 wlc");
    }
  }

  @Test
  void past255AddressesTheRestAreHeldButNotAdvertisedAsKeepalivedDoes() {
    StringBuilder docs =
        new StringBuilder(
            vri(
                "vi",
                DIRECTORS
                    + "addresses: [{address: 10.9.0.1}]\n"
                    + "excludedAddresses: [{address: 10.9.0.2}]"));
    for (int i = 0; i < 300; i++) {
      docs.append(vs("vs" + i, member("10.0." + (i / 250) + "." + (i % 250 + 1), 80)));
    }
    CompileResult result = compile(yaml(docs.toString()));
    var instance = result.nodes().get("n1").vrrpInstances().getFirst();

    assertThat(instance.vips()).hasSize(255);
    assertThat(instance.vips().getFirst().address()).isEqualTo("10.9.0.1");
    assertThat(instance.vips().get(1).address()).isEqualTo("10.0.0.1");
    assertThat(instance.vips().get(250).address()).isEqualTo("10.0.0.250");
    assertThat(instance.vips().getLast().address()).isEqualTo("10.0.1.4");
    assertThat(instance.excludedVips()).hasSize(1 + 46);
    assertThat(instance.excludedVips().getFirst().address()).isEqualTo("10.9.0.2");
    assertThat(instance.excludedVips().get(1).address()).isEqualTo("10.0.1.5");
    assertThat(instance.excludedVips().getLast().address()).isEqualTo("10.0.1.50");
    assertThat(instance.excludedVips().getLast().source()).isEqualTo("default/vs299");
    var verdict = result.vrrpInstances().get(VI);
    assertThat(verdict.advertisedAddresses()).isEqualTo(255);
    assertThat(verdict.excludedAddresses()).isEqualTo(47);
    assertThat(result.nodes().get("n1").ipvsServices()).hasSize(300);
  }

  @Test
  void aMemberVipListedInExcludedAddressesIsNeverAdvertised() {
    ManifestSet set =
        yaml(
            vri("vi", DIRECTORS + "excludedAddresses: [{address: 10.0.0.2}]")
                + vs("a", member("10.0.0.1", 80))
                + vs("b", member("10.0.0.2", 80)));
    var instance = compile(set).nodes().get("n1").vrrpInstances().getFirst();
    assertThat(instance.vips()).extracting(LvsNodeSpec.Vip::address).containsExactly("10.0.0.1");
    assertThat(instance.excludedVips())
        .containsExactly(new LvsNodeSpec.Vip("10.0.0.2", 32, null, null, null));
  }

  @Test
  void theVridIsStickyThroughTheInstancesStatus() {
    ManifestSet set = yaml(vri("vi", DIRECTORS) + vs("a", member("10.0.0.1", 80)));
    int first = compile(set).vrrpInstances().get(VI).virtualRouterId();
    int other = first == 200 ? 201 : 200;
    VrrpInstance vi = set.vrrpInstances().getFirst();
    vi.setStatus(new VrrpInstanceStatus(1L, other, null, null, null, null, null, null));
    var result = compile(set);
    assertThat(result.vrrpInstances().get(VI).virtualRouterId()).isEqualTo(other);
    assertThat(result.nodes().get("n1").vrrpInstances().getFirst().name())
        .isEqualTo("eth0-" + other);
  }

  @Test
  void aMemberOlderThanItsInstanceJoinsIt() {
    ManifestSet set =
        aged(
            yaml(vri("vi", DIRECTORS) + vs("a", member("10.0.0.1", 80))),
            "VirtualServer/a",
            "VrrpInstance/vi");
    var result = compile(set);
    assertThat(result.virtualServers().get(new ObjectKey("default", "a")).ok()).isTrue();
    assertThat(result.vrrpInstances().get(VI).members())
        .containsExactly(new ObjectKey("default", "a"));
  }

  @Test
  void anInvalidInstanceRunsAsItsLastGoodVersion() {
    ManifestSet good =
        yaml(
            vri("vi", DIRECTORS + "addresses: [{address: 10.0.0.9}]")
                + vs("a", member("10.0.0.1", 80)));
    good.vrrpInstances().getFirst().getMetadata().setGeneration(1L);
    ManifestSet bad =
        yaml(
            vri("vi", DIRECTORS + "addresses: [{address: 10.0.0.x}]")
                + vs("a", member("10.0.0.1", 80)));
    bad.vrrpInstances().getFirst().getMetadata().setGeneration(2L);
    var in =
        input(bad, nodes())
            .withVrrpInstances(bad.vrrpInstances(), Map.of(VI, good.vrrpInstances().getFirst()));
    var result = Compiler.compile(in);
    var verdict = result.vrrpInstances().get(VI);
    assertThat(verdict.errors())
        .extracting(FieldError::toString)
        .containsExactly("spec.addresses[0].address: 10.0.0.x is not an IP address");
    assertThat(verdict.programmedGeneration()).isEqualTo(1L);
    assertThat(result.nodes().get("n1").vrrpInstances().getFirst().vips())
        .extracting(LvsNodeSpec.Vip::address)
        .containsExactly("10.0.0.9", "10.0.0.1");

    var withoutLastGood = compile(bad);
    assertThat(withoutLastGood.nodes()).isEmpty();
    assertThat(withoutLastGood.virtualServers().get(new ObjectKey("default", "a")).errors())
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.vrrpInstance: vi names VrrpInstance default/vi, which is invalid and has no last"
                + " good version");
  }

  @Test
  void shuffledInputGivesByteIdenticalOutput() {
    ManifestSet set =
        yaml(
            vri("vi", DIRECTORS + "addresses: [{address: 10.0.0.9}, {address: 10.0.0.8}]")
                + vri("vj", DIRECTORS + "vrrp: {interface: eth1}")
                + vs("a", member("10.0.0.1", 80))
                + vs("b", member("10.0.0.3", 80))
                + vs("c", member("10.0.0.2", 80))
                + vs("d", "vip: 10.0.1.1\nport: 80\nvrrpInstance: vj\n")
                + vs("e", own("10.0.2.1", 80)));
    String expected = json(compile(set));
    Random random = new Random(7);
    for (int i = 0; i < 20; i++) {
      var vss = new ArrayList<>(set.virtualServers());
      var vris = new ArrayList<>(set.vrrpInstances());
      Collections.shuffle(vss, random);
      Collections.shuffle(vris, random);
      var shuffled =
          new ManifestSet(
              vss, set.realServers(), set.secrets(), set.nodes(), List.of(), Map.of(), vris);
      assertThat(json(compile(shuffled))).isEqualTo(expected);
    }
  }

  /**
   * A clash: the manifests, the objects oldest first, the objects that lose (the last one gets the
   * message), and the start of that conflict or error; the others run.
   */
  static Stream<Arguments> clashes() {
    return Stream.of(
        Arguments.of(
            "an address in two VrrpInstances",
            vri("vi", DIRECTORS + "addresses: [{address: 10.0.0.1}]")
                + vri("vj", DIRECTORS + "excludedAddresses: [{address: 10.0.0.1}]"),
            List.of("VrrpInstance/vi", "VrrpInstance/vj"),
            "VrrpInstance/vj",
            "VRRP_SETTINGS with default/vi: spec.excludedAddresses[0]: 10.0.0.1 is already held by"
                + " the older VrrpInstance default/vi (spec.addresses[0]); an address belongs to"
                + " one VRRP instance"),
        Arguments.of(
            "a member's VIP another, older VrrpInstance lists",
            vri("vi", DIRECTORS + OWN_ADDRESS)
                + vri("vj", DIRECTORS + "addresses: [{address: 10.0.0.1}]")
                + vs("a", member("10.0.0.1", 80)),
            List.of("VrrpInstance/vj", "VrrpInstance/vi", "VirtualServer/a"),
            "VirtualServer/a",
            "VRRP_SETTINGS with default/vj: spec.vip: 10.0.0.1 is already held by the older"
                + " VrrpInstance default/vj (spec.addresses[0])"),
        Arguments.of(
            "a VrrpInstance listing an older member's VIP of another instance",
            vri("vi", DIRECTORS)
                + vri("vj", DIRECTORS + "addresses: [{address: 10.0.0.1}]")
                + vs("a", member("10.0.0.1", 80)),
            List.of("VrrpInstance/vi", "VirtualServer/a", "VrrpInstance/vj"),
            "VrrpInstance/vj",
            "VRRP_SETTINGS with default/a: spec.addresses[0]: 10.0.0.1 is already held by the"
                + " older VirtualServer default/a (spec.vip) in VrrpInstance default/vi"),
        Arguments.of(
            "a member's VIP an older VirtualServer of its own instance holds",
            vri("vi", DIRECTORS + OWN_ADDRESS)
                + vs("old", own("10.0.0.1", 443))
                + vs("a", member("10.0.0.1", 80)),
            List.of("VrrpInstance/vi", "VirtualServer/old", "VirtualServer/a"),
            "VirtualServer/a",
            "VRRP_SETTINGS with default/old: spec.vip: 10.0.0.1 is already held by the older"
                + " VirtualServer default/old (spec.vip); an address belongs to one VRRP"
                + " instance"),
        Arguments.of(
            "a VirtualServer of its own instance whose VIP an older member holds",
            vri("vi", DIRECTORS)
                + vs("a", member("10.0.0.1", 80))
                + vs("new", own("10.0.0.1", 443)),
            List.of("VrrpInstance/vi", "VirtualServer/a", "VirtualServer/new"),
            "VirtualServer/new",
            "VRRP_SETTINGS with default/a: spec.vip: 10.0.0.1 is already held by the older"
                + " VirtualServer default/a (spec.vip) in VrrpInstance default/vi"),
        Arguments.of(
            "two members of two instances with one VIP",
            vri("vi", DIRECTORS)
                + vri("vj", DIRECTORS + OWN_ADDRESS)
                + vs("a", member("10.0.0.1", 80))
                + vs("b", "vip: 10.0.0.1\nport: 443\nvrrpInstance: vj\n"),
            List.of("VrrpInstance/vi", "VrrpInstance/vj", "VirtualServer/a", "VirtualServer/b"),
            "VirtualServer/b",
            "VRRP_SETTINGS with default/a: spec.vip: 10.0.0.1 is already held by the older"
                + " VirtualServer default/a (spec.vip) in VrrpInstance default/vi"),
        Arguments.of(
            "spec.vrrpInstance naming no VrrpInstance",
            vs("a", "vip: 10.0.0.1\nport: 80\nvrrpInstance: nope\n"),
            List.of("VirtualServer/a"),
            "VirtualServer/a",
            "spec.vrrpInstance: nope names no VrrpInstance in namespace default"),
        Arguments.of(
            "an instance without addresses or members",
            vri("vi", DIRECTORS),
            List.of("VrrpInstance/vi"),
            "VrrpInstance/vi",
            "spec.addresses: is empty and no VirtualServer joins this VrrpInstance: nothing runs"),
        Arguments.of(
            "a VRID an older VirtualServer's own instance uses",
            vs("old", own("10.0.0.1", 80) + "vrrp: {virtualRouterId: 7}")
                + vri(
                    "vi",
                    DIRECTORS + "vrrp: {virtualRouterId: 7}\naddresses: [{address: 10.0.0.2}]"),
            List.of("VirtualServer/old", "VrrpInstance/vi"),
            "VrrpInstance/vi",
            "VRID with default/old: virtualRouterId 7 on eth0 is already used by the older"
                + " default/old"),
        Arguments.of(
            "a VRID an older VrrpInstance uses",
            vri("vi", DIRECTORS + "vrrp: {virtualRouterId: 7}\naddresses: [{address: 10.0.0.2}]")
                + vs("new", own("10.0.0.1", 80) + "vrrp: {virtualRouterId: 7}"),
            List.of("VrrpInstance/vi", "VirtualServer/new"),
            "VirtualServer/new",
            "VRID with default/vi: virtualRouterId 7 on eth0 is already used by the older"
                + " VrrpInstance default/vi"),
        Arguments.of(
            "a member of an instance that does not run",
            vri("vi", DIRECTORS + "addresses: [{address: 10.0.0.1}]")
                + vri("vj", DIRECTORS + "addresses: [{address: 10.0.0.1}]")
                + vs("b", "vip: 10.0.0.2\nport: 80\nvrrpInstance: vj\n"),
            List.of("VrrpInstance/vi", "VrrpInstance/vj", "VirtualServer/b"),
            "VrrpInstance/vj VirtualServer/b",
            "VRRP_SETTINGS with default/vj: spec.vrrpInstance: VrrpInstance default/vj does not"
                + " run: spec.addresses[0]: 10.0.0.1 is already held by the older VrrpInstance"
                + " default/vi"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clashes")
  void theNewerObjectLosesNamingTheOlderAndTheOlderKeepsRunning(
      String what, String manifests, List<String> oldestFirst, String losers, String expected) {
    List<String> losing = List.of(losers.split(" "));
    ManifestSet set = aged(yaml(manifests), oldestFirst.toArray(String[]::new));
    CompileResult result = compile(set);
    for (String object : oldestFirst) {
      ObjectKey key = new ObjectKey("default", object.substring(object.indexOf('/') + 1));
      boolean isInstance = object.startsWith("VrrpInstance/");
      List<String> problems = new ArrayList<>();
      boolean ok;
      if (isInstance) {
        var r = result.vrrpInstances().get(key);
        r.errors().forEach(e -> problems.add(e.toString()));
        r.conflicts().forEach(c -> problems.add(c.toString()));
        ok = r.ok();
      } else {
        var r = result.virtualServers().get(key);
        r.errors().forEach(e -> problems.add(e.toString()));
        r.conflicts().forEach(c -> problems.add(c.toString()));
        ok = r.ok();
      }
      if (object.equals(losing.getLast())) {
        assertThat(ok).as(object).isFalse();
        assertThat(problems).as(object).anyMatch(p -> p.startsWith(expected));
      } else if (losing.contains(object)) {
        assertThat(ok).as(object).isFalse();
      } else {
        assertThat(problems).as(object).isEmpty();
      }
    }
  }

  @Test
  void aMemberOfAnInstanceThatDoesNotRunIsNotProgrammed() {
    ManifestSet set =
        aged(
            yaml(
                vri("vi", DIRECTORS + "addresses: [{address: 10.0.0.1}]")
                    + vri("vj", DIRECTORS + "addresses: [{address: 10.0.0.1}]")
                    + vs("b", "vip: 10.0.0.2\nport: 80\nvrrpInstance: vj\n")),
            "VrrpInstance/vi",
            "VrrpInstance/vj",
            "VirtualServer/b");
    var result = compile(set);
    assertThat(result.nodes().get("n1").vrrpInstances())
        .singleElement()
        .extracting(LvsNodeSpec.VrrpInstance::definedBy)
        .isEqualTo("default/vi");
    assertThat(result.nodes().get("n1").ipvsServices()).isEmpty();
    assertThat(result.vrrpInstances().get(new ObjectKey("default", "vj")).vrrpInstance()).isNull();
  }
}
