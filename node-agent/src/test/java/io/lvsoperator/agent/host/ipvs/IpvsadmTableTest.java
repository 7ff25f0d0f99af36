package io.lvsoperator.agent.host.ipvs;

import static io.lvsoperator.agent.ipvs.IpvsFixtures.dr;
import static io.lvsoperator.agent.ipvs.IpvsFixtures.state;
import static io.lvsoperator.agent.ipvs.IpvsFixtures.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvsoperator.agent.ipvs.IpvsService;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lab oracle's parser, on ipvsadm 1.31's output format. */
class IpvsadmTableTest {

  @Test
  void parsedIpvsadmOutputEqualsTheRecordsItShows() {
    String out =
        """
        IP Virtual Server version 1.2.1 (size=4096)
        Prot LocalAddress:Port Scheduler Flags
          -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
        TCP  10.250.0.1:80 wlc persistent 300 mask 255.255.255.0
          -> 10.250.1.2:80                Route   1      0          0
          -> 10.250.1.1:80                Route   5      2          7
        """;

    assertThat(IpvsadmTable.parse(out))
        .isEqualTo(
            IpvsadmTable.expected(
                List.of(
                    state(
                        IpvsService.of(tcp("10.250.0.1", 80), "wlc").withPersistence(300, 24),
                        dr("10.250.1.1", 80, 5),
                        dr("10.250.1.2", 80, 1)))));
  }
}
