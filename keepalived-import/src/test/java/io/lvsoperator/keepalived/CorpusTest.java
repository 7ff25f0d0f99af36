package io.lvsoperator.keepalived;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lvsoperator.keepalived.conf.Diagnostic;
import io.lvsoperator.keepalived.conf.Severity;
import io.lvsoperator.keepalived.manifest.ManifestMapper;
import io.lvsoperator.keepalived.manifest.YamlWriter;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The corpus, case by case: which objects each set of directors' configurations becomes, the fields
 * that show the mapping, the findings on the lines they are about, and the worst finding (which
 * decides the exit status).
 */
class CorpusTest {

  /** {@code object} (Kind/name) has {@code value} at {@code pointer}; "-" means no such field. */
  record Field(String object, String pointer, String value) {}

  record Case(
      String name,
      List<String> configs,
      ManifestMapper.Options options,
      Severity worst,
      List<String> objects,
      List<Field> fields,
      List<String> findings) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final ManifestMapper.Options DEFAULTS = ManifestMapper.Options.defaults();

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "two instances in a sync group, two services on one VIP, PASS auth",
            List.of("two-instances/lvs1.conf", "two-instances/lvs2.conf"),
            DEFAULTS,
            Severity.NOTE,
            List.of(
                "RealServer/vs-10-20-0-10-443-10-20-1-1-443",
                "RealServer/vs-10-20-0-10-443-10-20-1-2-443",
                "RealServer/vs-10-20-0-10-80-10-20-1-1-80",
                "RealServer/vs-10-20-0-10-80-10-20-1-2-80",
                "RealServer/vs-10-20-0-53-53-udp-10-20-2-1-53",
                "RealServer/vs-10-20-0-53-53-udp-10-20-2-2-53",
                "Secret/vrrp-auth",
                "VirtualServer/vs-10-20-0-10-443",
                "VirtualServer/vs-10-20-0-10-80",
                "VirtualServer/vs-10-20-0-53-53-udp"),
            List.of(
                new Field("VirtualServer/vs-10-20-0-10-80", "/spec/scheduler", "wrr"),
                new Field("VirtualServer/vs-10-20-0-10-80", "/spec/forwarding", "DR"),
                new Field(
                    "VirtualServer/vs-10-20-0-10-80",
                    "/spec/healthCheck/expectedStatus",
                    "[\"200-299\",\"301\"]"),
                new Field("VirtualServer/vs-10-20-0-10-80", "/spec/healthCheck/path", "/healthz"),
                new Field("VirtualServer/vs-10-20-0-10-80", "/spec/healthCheck/retry", "2"),
                new Field(
                    "VirtualServer/vs-10-20-0-10-80", "/spec/healthCheck/delayBeforeRetry", "1s"),
                new Field("VirtualServer/vs-10-20-0-10-80", "/spec/healthCheck/delayLoop", "5s"),
                new Field("VirtualServer/vs-10-20-0-10-80", "/spec/vrrp/syncGroup", "vg-1"),
                new Field(
                    "VirtualServer/vs-10-20-0-10-80", "/spec/vrrp/trackInterfaces", "[\"eth1\"]"),
                new Field("VirtualServer/vs-10-20-0-10-80", "/spec/vrrp/garpRefresh", "60s"),
                new Field("VirtualServer/vs-10-20-0-10-80", "/spec/vrrp/vipLabel", "eth0:web"),
                new Field(
                    "VirtualServer/vs-10-20-0-10-80",
                    "/spec/vrrp/authPassSecretRef",
                    "{\"name\":\"vrrp-auth\",\"key\":\"vi-web\"}"),
                new Field(
                    "VirtualServer/vs-10-20-0-10-80",
                    "/spec/directors/nodes",
                    "[{\"name\":\"lvs1\",\"priority\":150},{\"name\":\"lvs2\",\"priority\":100}]"),
                new Field("VirtualServer/vs-10-20-0-10-443", "/spec/healthCheck/type", "HTTPS_GET"),
                new Field(
                    "VirtualServer/vs-10-20-0-10-443", "/spec/healthCheck/host", "www.example.com"),
                new Field("VirtualServer/vs-10-20-0-10-443", "/spec/healthCheck/port", "8443"),
                new Field(
                    "VirtualServer/vs-10-20-0-10-443", "/spec/healthCheck/connectTimeout", "5s"),
                new Field(
                    "VirtualServer/vs-10-20-0-10-443", "/spec/persistenceTimeoutSeconds", "300"),
                new Field(
                    "VirtualServer/vs-10-20-0-10-443", "/spec/persistenceNetmask", "255.255.255.0"),
                new Field("VirtualServer/vs-10-20-0-10-443", "/spec/scheduler", "sh"),
                new Field("VirtualServer/vs-10-20-0-53-53-udp", "/spec/protocol", "UDP"),
                new Field("VirtualServer/vs-10-20-0-53-53-udp", "/spec/forwarding", "NAT"),
                new Field("VirtualServer/vs-10-20-0-53-53-udp", "/spec/healthCheck/type", "TCP"),
                new Field(
                    "VirtualServer/vs-10-20-0-53-53-udp",
                    "/spec/healthCheck/delayBeforeRetry",
                    "1s"),
                new Field(
                    "VirtualServer/vs-10-20-0-53-53-udp",
                    "/spec/vrrp/authPassSecretRef/key",
                    "vi-dns"),
                new Field(
                    "Secret/vrrp-auth",
                    "/stringData",
                    "{\"vi-dns\":\"other\",\"vi-web\":\"s3cret\"}"),
                new Field("RealServer/vs-10-20-0-10-80-10-20-1-1-80", "/spec/weight", "3"),
                new Field(
                    "RealServer/vs-10-20-0-10-80-10-20-1-1-80",
                    "/spec/virtualServer",
                    "vs-10-20-0-10-80")),
            List.of()),
        new Case(
            "three directors, VRRPv3 at 100 ms, unicast to each other, a VIP-only instance",
            List.of("unicast-v3/lvs1.conf", "unicast-v3/lvs2.conf", "unicast-v3/lvs3.conf"),
            DEFAULTS,
            Severity.NOTE,
            List.of("VirtualServer/vip-192-168-10-254"),
            List.of(
                new Field("VirtualServer/vip-192-168-10-254", "/spec/port", "-"),
                new Field("VirtualServer/vip-192-168-10-254", "/spec/vrrp/version", "3"),
                new Field("VirtualServer/vip-192-168-10-254", "/spec/vrrp/advertIntervalMs", "100"),
                new Field(
                    "VirtualServer/vip-192-168-10-254",
                    "/spec/vrrp/unicastPeersFromDirectors",
                    "true"),
                new Field("VirtualServer/vip-192-168-10-254", "/spec/vrrp/unicastPeers", "-"),
                new Field("VirtualServer/vip-192-168-10-254", "/spec/vrrp/preemptDelay", "30s"),
                new Field("VirtualServer/vip-192-168-10-254", "/spec/vrrp/garpRepeat", "3"),
                new Field("VirtualServer/vip-192-168-10-254", "/spec/vrrp/authPassSecretRef", "-"),
                new Field(
                    "VirtualServer/vip-192-168-10-254",
                    "/spec/directors/nodes",
                    "[{\"name\":\"lvs1\",\"priority\":200},{\"name\":\"lvs2\",\"priority\":150},"
                        + "{\"name\":\"lvs3\",\"priority\":100}]")),
            List.of("NOTE unicast-v3/lvs1.conf:17 unicast_peer")),
        new Case(
            "one instance with several addresses and an excluded one: a VrrpInstance",
            List.of("multi-vip/lvs1.conf", "multi-vip/lvs2.conf"),
            DEFAULTS,
            Severity.NOTE,
            List.of(
                "RealServer/vs-10-30-0-1-80-10-31-0-1-80",
                "RealServer/vs-10-30-0-1-80-10-31-0-2-80",
                "RealServer/vs-10-30-0-2-25-10-31-0-1-25",
                "VirtualServer/vs-10-30-0-1-80",
                "VirtualServer/vs-10-30-0-2-25",
                "VrrpInstance/vi-1"),
            List.of(
                new Field(
                    "VrrpInstance/vi-1",
                    "/spec/addresses",
                    "[{\"address\":\"10.30.0.1\",\"prefixLength\":24,\"label\":\"eth0:1\"},"
                        + "{\"address\":\"10.30.0.2\",\"prefixLength\":24},"
                        + "{\"address\":\"10.30.0.3\",\"prefixLength\":32,\"interface\":\"eth1\"}]"),
                new Field(
                    "VrrpInstance/vi-1",
                    "/spec/excludedAddresses",
                    "[{\"address\":\"10.30.0.100\",\"prefixLength\":24}]"),
                new Field("VrrpInstance/vi-1", "/spec/vrrp/preempt", "false"),
                new Field("VrrpInstance/vi-1", "/spec/vrrp/advertIntervalMs", "2000"),
                new Field("VrrpInstance/vi-1", "/spec/vrrp/vipPrefixLength", "-"),
                new Field("VirtualServer/vs-10-30-0-1-80", "/spec/vrrpInstance", "vi-1"),
                new Field("VirtualServer/vs-10-30-0-1-80", "/spec/vrrp", "-"),
                new Field("VirtualServer/vs-10-30-0-1-80", "/spec/directors", "-"),
                new Field("VirtualServer/vs-10-30-0-1-80", "/spec/forwarding", "TUN"),
                new Field("VirtualServer/vs-10-30-0-1-80", "/spec/scheduler", "lc"),
                new Field(
                    "VirtualServer/vs-10-30-0-1-80", "/spec/healthCheck/onFailure", "weight-zero"),
                new Field("VirtualServer/vs-10-30-0-2-25", "/spec/vrrpInstance", "vi-1"),
                new Field(
                    "VirtualServer/vs-10-30-0-2-25", "/spec/healthCheck/onFailure", "remove")),
            List.of()),
        new Case(
            "NAT to other ports with weights, inhibit_on_failure, a sorry server and quorum",
            List.of("nat-sorry-quorum/lvs1.conf", "nat-sorry-quorum/lvs2.conf"),
            DEFAULTS,
            Severity.NOTE,
            List.of(
                "RealServer/vs-10-40-0-10-80-10-40-1-1-8080",
                "RealServer/vs-10-40-0-10-80-10-40-1-2-8080",
                "RealServer/vs-10-40-0-10-80-10-40-1-3-8080",
                "VirtualServer/vs-10-40-0-10-80"),
            List.of(
                new Field(
                    "VirtualServer/vs-10-40-0-10-80",
                    "/spec/sorryServer",
                    "{\"address\":\"10.40.9.9\",\"port\":8080}"),
                new Field("VirtualServer/vs-10-40-0-10-80", "/spec/quorum", "2"),
                new Field("VirtualServer/vs-10-40-0-10-80", "/spec/hysteresis", "1"),
                new Field("VirtualServer/vs-10-40-0-10-80", "/spec/forwarding", "NAT"),
                new Field("VirtualServer/vs-10-40-0-10-80", "/spec/scheduler", "wlc"),
                new Field(
                    "VirtualServer/vs-10-40-0-10-80", "/spec/healthCheck/connectTimeout", "1500ms"),
                new Field(
                    "VirtualServer/vs-10-40-0-10-80", "/spec/healthCheck/host", "app.example.com"),
                new Field(
                    "VirtualServer/vs-10-40-0-10-80", "/spec/healthCheck/onFailure", "weight-zero"),
                new Field("VirtualServer/vs-10-40-0-10-80", "/spec/vrrp/vipPrefixLength", "32"),
                new Field("VirtualServer/vs-10-40-0-10-80", "/spec/vrrp/advertIntervalMs", "1000"),
                new Field("RealServer/vs-10-40-0-10-80-10-40-1-1-8080", "/spec/port", "8080"),
                new Field("RealServer/vs-10-40-0-10-80-10-40-1-1-8080", "/spec/weight", "2"),
                new Field("RealServer/vs-10-40-0-10-80-10-40-1-3-8080", "/spec/weight", "1")),
            List.of()),
        new Case(
            "virtual_server_group with an address, a range and a prefix; a fwmark service",
            List.of("group-fwmark/lvs1.conf", "group-fwmark/lvs2.conf"),
            new ManifestMapper.Options("default", Map.of(), Map.of(), Map.of(7L, "10.50.0.10")),
            Severity.NOTE,
            List.of(
                "RealServer/vs-fwmark-7-10-51-0-1-443",
                "RealServer/vs-group-g-web-10-51-0-1",
                "RealServer/vs-group-g-web-10-51-0-2",
                "VirtualServer/vs-fwmark-7",
                "VirtualServer/vs-group-g-web",
                "VrrpInstance/vi-web"),
            List.of(
                new Field("VirtualServer/vs-group-g-web", "/spec/vip", "10.50.0.10"),
                new Field("VirtualServer/vs-group-g-web", "/spec/port", "80"),
                new Field(
                    "VirtualServer/vs-group-g-web",
                    "/spec/additionalAddresses",
                    "[{\"address\":\"10.50.0.11-13\"},{\"address\":\"10.50.0.16-19\",\"port\":8080}]"),
                new Field("VirtualServer/vs-group-g-web", "/spec/vrrpInstance", "vi-web"),
                new Field("VirtualServer/vs-fwmark-7", "/spec/firewallMark", "7"),
                new Field("VirtualServer/vs-fwmark-7", "/spec/vip", "10.50.0.10"),
                new Field("VirtualServer/vs-fwmark-7", "/spec/port", "-"),
                new Field("VirtualServer/vs-fwmark-7", "/spec/protocol", "-"),
                new Field("VirtualServer/vs-fwmark-7", "/spec/persistenceTimeoutSeconds", "600"),
                new Field("VirtualServer/vs-fwmark-7", "/spec/healthCheck/port", "443"),
                new Field("RealServer/vs-fwmark-7-10-51-0-1-443", "/spec/port", "443")),
            List.of()),
        new Case(
            "one file for two directors: includes with globs, conditional lines, a parameter",
            List.of("lvs1=includes/keepalived.conf", "lvs2=includes/keepalived.conf"),
            DEFAULTS,
            Severity.NOTE,
            List.of(
                "RealServer/vs-10-60-0-10-80-10-61-0-1-80",
                "RealServer/vs-10-60-0-10-80-10-61-0-2-80",
                "VirtualServer/vs-10-60-0-10-80"),
            List.of(
                new Field("VirtualServer/vs-10-60-0-10-80", "/spec/vip", "10.60.0.10"),
                new Field("VirtualServer/vs-10-60-0-10-80", "/spec/scheduler", "rr"),
                new Field("VirtualServer/vs-10-60-0-10-80", "/spec/vrrp/garpRepeat", "2"),
                new Field(
                    "VirtualServer/vs-10-60-0-10-80",
                    "/spec/directors/nodes",
                    "[{\"name\":\"lvs1\",\"priority\":150},{\"name\":\"lvs2\",\"priority\":100}]")),
            List.of("NOTE includes/keepalived.conf:8 @lvs1")),
        new Case(
            "notify scripts and a connection sync daemon",
            List.of("notify/lvs1.conf", "notify/lvs2.conf"),
            DEFAULTS,
            Severity.NOTE,
            List.of("RealServer/vs-10-70-0-10-80-10-71-0-1-80", "VirtualServer/vs-10-70-0-10-80"),
            List.of(
                new Field(
                    "VirtualServer/vs-10-70-0-10-80",
                    "/spec/vrrp/notify",
                    "{\"master\":\"/etc/keepalived/notify.sh master\","
                        + "\"backup\":\"/etc/keepalived/notify.sh backup\","
                        + "\"fault\":\"/etc/keepalived/notify.sh fault\","
                        + "\"stop\":\"/etc/keepalived/stop.sh\",\"any\":\"/etc/keepalived/any.sh\"}"),
                new Field(
                    "VirtualServer/vs-10-70-0-10-80",
                    "/spec/vrrp/connectionSync",
                    "{\"interface\":\"eth0\",\"syncId\":11}")),
            List.of()),
        new Case(
            "script, SMTP and DNS checks, tracking scripts, a digest, VMACs, routes",
            List.of("unsupported/keepalived.conf"),
            DEFAULTS,
            Severity.UNSUPPORTED,
            List.of(
                "RealServer/vs-10-80-0-10-25-10-82-0-1-25",
                "RealServer/vs-10-80-0-10-25-10-82-0-2-25",
                "RealServer/vs-10-80-0-10-53-udp-10-82-0-3-53",
                "RealServer/vs-10-80-0-10-80-10-82-0-4-80",
                "VirtualServer/vs-10-80-0-10-25",
                "VirtualServer/vs-10-80-0-10-53-udp",
                "VirtualServer/vs-10-80-0-10-80"),
            List.of(
                new Field("VirtualServer/vs-10-80-0-10-25", "/spec/healthCheck", "-"),
                new Field("VirtualServer/vs-10-80-0-10-80", "/spec/healthCheck/type", "HTTP_GET"),
                new Field("VirtualServer/vs-10-80-0-10-80", "/spec/healthCheck/bodyContains", "-")),
            List.of(
                "NOTE unsupported/keepalived.conf:3 vrrp_script",
                "UNSUPPORTED unsupported/keepalived.conf:13 use_vmac",
                "UNSUPPORTED unsupported/keepalived.conf:17 track_script",
                "UNSUPPORTED unsupported/keepalived.conf:20 virtual_routes",
                "UNSUPPORTED unsupported/keepalived.conf:30 SMTP_CHECK",
                "UNSUPPORTED unsupported/keepalived.conf:35 MISC_CHECK",
                "UNSUPPORTED unsupported/keepalived.conf:46 DNS_CHECK",
                "UNSUPPORTED unsupported/keepalived.conf:61 digest")),
        new Case(
            "an include loop",
            List.of("bad/include-loop/keepalived.conf"),
            DEFAULTS,
            Severity.ERROR,
            List.of(),
            List.of(),
            List.of("ERROR bad/include-loop/loop-b.conf:1 include")),
        new Case(
            "a missing include, by glob and by name",
            List.of("bad/missing-include/keepalived.conf"),
            DEFAULTS,
            Severity.ERROR,
            List.of(),
            List.of(),
            List.of(
                "ERROR bad/missing-include/keepalived.conf:4 include",
                "ERROR bad/missing-include/keepalived.conf:5 include")),
        new Case(
            "unknown keywords",
            List.of("bad/unknown-keyword/keepalived.conf"),
            DEFAULTS,
            Severity.ERROR,
            List.of(),
            List.of(),
            List.of(
                "ERROR bad/unknown-keyword/keepalived.conf:5 prioritee",
                "ERROR bad/unknown-keyword/keepalived.conf:12 lb_algoo",
                "ERROR bad/unknown-keyword/keepalived.conf:17 connect_timout")),
        new Case(
            "directors that disagree",
            List.of("bad/conflicting/lvs1.conf", "bad/conflicting/lvs2.conf"),
            DEFAULTS,
            Severity.ERROR,
            List.of(),
            List.of(),
            List.of(
                "ERROR bad/conflicting/lvs2.conf:6 vrrp_instance VI_1",
                "ERROR bad/conflicting/lvs2.conf:9 vrrp_instance VI_1",
                "ERROR bad/conflicting/lvs2.conf:12 vrrp_instance VI_1",
                "ERROR bad/conflicting/lvs2.conf:16 virtual_server 10.92.0.1:80/TCP",
                "ERROR bad/conflicting/lvs2.conf:17 virtual_server 10.92.0.1:80/TCP")),
        new Case(
            "values keepalived rejects",
            List.of("bad/rejected-values/keepalived.conf"),
            DEFAULTS,
            Severity.ERROR,
            List.of(),
            List.of(),
            List.of(
                "ERROR bad/rejected-values/keepalived.conf:4 virtual_router_id",
                "ERROR bad/rejected-values/keepalived.conf:5 priority",
                "ERROR bad/rejected-values/keepalived.conf:16 HTTP_GET",
                "ERROR bad/rejected-values/keepalived.conf:20 real_server")),
        new Case(
            "blocks that are not closed",
            List.of("bad/unclosed/keepalived.conf"),
            DEFAULTS,
            Severity.ERROR,
            List.of(),
            List.of(),
            List.of(
                "ERROR bad/unclosed/keepalived.conf:10 virtual_server",
                "ERROR bad/unclosed/keepalived.conf:14 real_server")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void importsAsExpected(Case c) throws Exception {
    KeepalivedImport.Outcome outcome =
        KeepalivedImport.run(Corpus.configs(c.configs.toArray(String[]::new)), c.options);

    Severity worst =
        outcome.diagnostics().stream()
            .map(Diagnostic::severity)
            .max(Enum::compareTo)
            .orElse(Severity.NOTE);
    assertThat(worst).as(outcome.diagnostics().toString()).isEqualTo(c.worst);
    assertThat(Corpus.briefs(outcome, Severity.NOTE)).containsAll(c.findings);
    Map<String, JsonNode> objects = Corpus.parsed(outcome.objects());
    assertThat(objects.keySet()).containsExactlyElementsOf(c.objects);
    for (Field f : c.fields) {
      JsonNode node = objects.get(f.object).at(f.pointer);
      String actual =
          node.isMissingNode() ? "-" : node.isValueNode() ? node.asText() : node.toString();
      assertThat(actual).as(f.object + " " + f.pointer).isEqualTo(f.value);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void writesTheSameTextEachTime(Case c) {
    List<String> first = texts(c);
    assertThat(texts(c)).isEqualTo(first);
  }

  private static List<String> texts(Case c) {
    return KeepalivedImport.run(Corpus.configs(c.configs.toArray(String[]::new)), c.options)
        .objects()
        .stream()
        .map(o -> o.fileName() + "\n" + YamlWriter.write(o))
        .toList();
  }
}
