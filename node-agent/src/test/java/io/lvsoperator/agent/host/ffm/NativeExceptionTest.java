package io.lvsoperator.agent.host.ffm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NativeExceptionTest {

  @Test
  void messageNamesOperationErrnoNameAndLibcText() {
    NativeException e = new NativeException("setsockopt(IP_ADD_MEMBERSHIP)", Errno.EADDRNOTAVAIL);

    assertThat(e.errno()).isEqualTo(99);
    assertThat(e.errnoName()).isEqualTo("EADDRNOTAVAIL");
    assertThat(e.getMessage())
        .isEqualTo(
            "setsockopt(IP_ADD_MEMBERSHIP): EADDRNOTAVAIL (Cannot assign requested address)");
  }

  @Test
  void unnamedErrnoStillDescribed() {
    assertThat(Errno.describe(133)).startsWith("errno 133 (");
  }

  @Test
  void failedDowncallCarriesTheErrnoOfThatCall() {
    // if_nametoindex of a missing interface fails with ENODEV, captured from the same call.
    assertThatThrownBy(() -> NetworkInterfaces.indexOf("nosuchif0"))
        .isInstanceOfSatisfying(
            NativeException.class,
            e -> {
              assertThat(e.errno()).isEqualTo(Errno.ENODEV);
              assertThat(e.operation()).isEqualTo("if_nametoindex(nosuchif0)");
            });
  }

  @Test
  void loopbackResolvesBothWays() throws Exception {
    int index = NetworkInterfaces.indexOf("lo");
    assertThat(NetworkInterfaces.nameOf(index)).isEqualTo("lo");
  }

  @Test
  void badSocketProtocolIsReportedWithItsErrno() {
    assertThatThrownBy(() -> NetlinkChannel.open(31))
        .isInstanceOf(NativeException.class)
        .hasMessageStartingWith("socket(AF_NETLINK, 31): EPROTONOSUPPORT");
  }
}
