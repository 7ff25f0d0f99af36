package io.lvsoperator.keepalived;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvsoperator.keepalived.conf.Diagnostic;
import io.lvsoperator.keepalived.conf.Severity;
import io.lvsoperator.keepalived.manifest.ManifestMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One rule of the mapping per case: small configurations of one or two directors (lvs1.conf,
 * lvs2.conf) and the finding each must produce, as "SEVERITY file:line keyword: a part of the
 * message".
 */
class FindingsTest {
  @TempDir Path dir;

  private static final String INSTANCE =
      """
      vrrp_instance VI_1 {
          state %s
          interface eth0
          virtual_router_id 51
          priority %d
          virtual_ipaddress {
              10.0.0.1/24
          }
      }
      """;

  private static final String SERVICE =
      """
      virtual_server 10.0.0.1 80 {
          lb_algo rr
          lb_kind DR
          protocol TCP
          real_server 10.0.1.1 80 {
              TCP_CHECK {
              }
          }
      }
      """;

  record Case(String name, String lvs1, String lvs2, String finding) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static String pair(String state, int priority) {
    return INSTANCE.formatted(state, priority) + SERVICE;
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "state MASTER without priority is keepalived's 255, written as 254",
            INSTANCE.replace("    priority %d\n", "").formatted("MASTER") + SERVICE,
            null,
            "NOTE lvs1.conf:2 state: state MASTER without priority is priority 255"),
        new Case(
            "preempt_delay is dropped with nopreempt, as keepalived does",
            pair("BACKUP", 100)
                .replace("priority 100", "priority 100\n    nopreempt\n    preempt_delay 5"),
            null,
            "NOTE lvs1.conf:7 preempt_delay: not imported: keepalived 2.2.7 ignores preempt_delay"),
        new Case(
            "VRRPv2 counts whole seconds: advert_int 2.5 becomes 3 s, as in keepalived",
            pair("MASTER", 150).replace("priority 150", "priority 150\n    advert_int 2.5"),
            null,
            "NOTE lvs1.conf:6 advert_int: VRRPv2 counts whole seconds: keepalived 2.2.7 rounds 2.5 to 3"),
        new Case(
            "authentication with VRRPv3 is dropped, as keepalived drops it",
            pair("MASTER", 150)
                .replace(
                    "priority 150",
                    "priority 150\n    version 3\n    authentication {\n        auth_type PASS\n"
                        + "        auth_pass x\n    }"),
            null,
            "NOTE lvs1.conf:8 auth_type: not imported: VRRPv3 has no authentication"),
        new Case(
            "a PASS longer than 8 is written as the 8 keepalived sends (the compiler refuses more)",
            pair("MASTER", 150)
                .replace(
                    "priority 150",
                    "priority 150\n    authentication {\n        auth_type PASS\n"
                        + "        auth_pass 1234567890abcdef\n    }"),
            null,
            "NOTE lvs1.conf:8 auth_pass: written as its first 8 characters, all that keepalived"
                + " sends on the wire"),
        new Case(
            "a PASS that is not printable ASCII is an error (the agent would refuse it)",
            pair("MASTER", 150)
                .replace(
                    "priority 150",
                    "priority 150\n    authentication {\n        auth_type PASS\n"
                        + "        auth_pass pässwd\n    }"),
            null,
            "ERROR lvs1.conf:8 auth_pass: is not 1 to 8 printable ASCII characters, which the agent"
                + " requires (docs/vrrp.md)"),
        new Case(
            "inhibit_on_failure is no checker keyword",
            pair("MASTER", 150)
                .replace("TCP_CHECK {", "TCP_CHECK {\n            inhibit_on_failure"),
            null,
            "ERROR lvs1.conf:16 inhibit_on_failure: unknown keyword here"),
        new Case(
            "a VIP no vrrp_instance holds",
            pair("MASTER", 150).replace("virtual_server 10.0.0.1 80", "virtual_server 10.0.0.9 80"),
            null,
            "UNSUPPORTED lvs1.conf:10 virtual_server: 10.0.0.9 is in no vrrp_instance's virtual_ipaddress"),
        new Case(
            "a firewall mark without --fwmark-vip, when there is more than one VIP",
            pair("MASTER", 150).replace("10.0.0.1/24", "10.0.0.1/24\n        10.0.0.2/24")
                + SERVICE
                    .replace("virtual_server 10.0.0.1 80", "virtual_server fwmark 3")
                    .replace("    protocol TCP\n", "")
                    .replace("real_server 10.0.1.1 80", "real_server 10.0.1.1"),
            null,
            "UNSUPPORTED lvs1.conf:20 virtual_server: which VIP carries the traffic marked 3"),
        new Case(
            "a sync group member that does not exist",
            pair("MASTER", 150)
                + "vrrp_sync_group G {\n    group {\n        VI_1\n        VI_9\n    }\n}\n",
            null,
            "ERROR lvs1.conf:22 VI_9: vrrp_sync_group G names no vrrp_instance"),
        new Case(
            "lvs_sync_daemon that follows no instance",
            "global_defs {\n    lvs_sync_daemon eth0\n}\n" + pair("MASTER", 150),
            null,
            "UNSUPPORTED lvs1.conf:2 lvs_sync_daemon: follows no vrrp_instance"),
        new Case(
            "a real server listed twice",
            pair("MASTER", 150)
                .replace(
                    "    real_server 10.0.1.1 80 {",
                    "    real_server 10.0.1.1 80 {\n    }\n    real_server 10.0.1.1 80 {"),
            null,
            "ERROR lvs1.conf:16 real_server: 10.0.1.1:80 is already a real server of this service"),
        new Case(
            "real servers checked differently",
            pair("MASTER", 150)
                .replace(
                    "    real_server 10.0.1.1 80 {",
                    "    real_server 10.0.1.2 80 {\n        TCP_CHECK {\n            connect_port 81\n"
                        + "        }\n    }\n    real_server 10.0.1.1 80 {"),
            null,
            "UNSUPPORTED lvs1.conf:19 real_server: checked unlike the real server at"),
        new Case(
            "a DR real server on another port",
            pair("MASTER", 150).replace("real_server 10.0.1.1 80", "real_server 10.0.1.1 8080"),
            null,
            "UNSUPPORTED lvs1.conf:14 real_server: port 8080 differs from the service's 80"),
        new Case(
            "the same router named differently on two directors is one instance",
            pair("MASTER", 150),
            pair("BACKUP", 100).replace("VI_1", "VI_OTHER"),
            "NOTE lvs2.conf:1 vrrp_instance: VI_OTHER is the same VRRP router"),
        new Case(
            "one name, two VRIDs",
            pair("MASTER", 150),
            pair("BACKUP", 100).replace("virtual_router_id 51", "virtual_router_id 52"),
            "ERROR lvs2.conf:4 vrrp_instance VI_1: differs between directors: vrrp.virtualRouterId"),
        new Case(
            "equal priorities",
            pair("MASTER", 100),
            pair("BACKUP", 100),
            "NOTE lvs2.conf:5 priority: lvs2 has the same priority as another director"),
        new Case(
            "an interface that differs between directors",
            pair("MASTER", 150),
            pair("BACKUP", 100).replace("interface eth0", "interface ens3"),
            "UNSUPPORTED lvs2.conf:3 vrrp_instance VI_1: differs between directors: vrrp.interface"),
        new Case(
            "a service on one director only",
            pair("MASTER", 150),
            INSTANCE.formatted("BACKUP", 100),
            "ERROR lvs1.conf:10 virtual_server: is configured on [lvs1] but its VIP's vrrp_instance"),
        new Case(
            "one director multicasts, the other unicasts",
            pair("MASTER", 150),
            pair("BACKUP", 100)
                .replace(
                    "priority 100", "priority 100\n    unicast_peer {\n        10.9.9.1\n    }"),
            "ERROR lvs1.conf:1 vrrp_instance: multicasts its adverts while lvs2 sends them by unicast"),
        new Case(
            "no_accept",
            pair("MASTER", 150).replace("priority 150", "priority 150\n    no_accept"),
            null,
            "UNSUPPORTED lvs1.conf:6 no_accept: the agent always accepts the VIPs' traffic"),
        new Case(
            "a scheduler lvs-operator does not offer",
            pair("MASTER", 150).replace("lb_algo rr", "lb_algo twos"),
            null,
            "UNSUPPORTED lvs1.conf:11 lb_algo: twos: the kernel scheduler is not one lvs-operator offers"),
        new Case(
            "no protocol: keepalived 2.2.7 means UDP",
            pair("MASTER", 150).replace("    protocol TCP\n", ""),
            null,
            "NOTE lvs1.conf:10 virtual_server: has no protocol: keepalived 2.2.7 then uses UDP"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reports(Case c) throws Exception {
    List<KeepalivedImport.Config> configs = new ArrayList<>();
    Files.writeString(dir.resolve("lvs1.conf"), c.lvs1);
    configs.add(new KeepalivedImport.Config("lvs1", dir.resolve("lvs1.conf")));
    if (c.lvs2 != null) {
      Files.writeString(dir.resolve("lvs2.conf"), c.lvs2);
      configs.add(new KeepalivedImport.Config("lvs2", dir.resolve("lvs2.conf")));
    }

    KeepalivedImport.Outcome outcome =
        KeepalivedImport.run(configs, ManifestMapper.Options.defaults());

    List<String> findings = outcome.diagnostics().stream().map(this::show).toList();
    assertThat(findings).anySatisfy(f -> assertThat(f).startsWith(c.finding));
    if (outcome.has(Severity.ERROR)) {
      assertThat(outcome.objects()).isEmpty();
    }
  }

  private String show(Diagnostic d) {
    String where =
        d.at() == null ? "-" : dir.relativize(Path.of(d.at().file())) + ":" + d.at().line();
    return d.severity() + " " + where + " " + d.keyword() + ": " + d.message();
  }
}
