package io.lvsoperator.agent.statefile;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvsoperator.agent.ipvs.OwnedServices;
import io.lvsoperator.agent.node.StaleVips;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {
  @TempDir Path dir;

  @Test
  void writeReplacesTheFileWholeOwnerOnlyAndLeavesNoTemporaryFile() throws Exception {
    StateFile f = new StateFile(dir.resolve("sub").resolve("owned"));
    f.writeLines(List.of("a", "b"));
    f.writeLines(List.of("c"));

    assertThat(Files.readAllLines(f.path())).containsExactly("c");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f.path())))
        .isEqualTo("rw-------");
    try (var files = Files.list(f.path().getParent())) {
      assertThat(files.toList()).containsExactly(f.path());
    }
  }

  @Test
  void aLineTheParserRefusesIsSkippedAndTheRestIsRead() throws Exception {
    Path p = dir.resolve("lines");
    Files.writeString(p, "# comment\n1\n\ntwo\n3\n\u0000\u0007\n4\n");

    List<Integer> read = new StateFile(p).readLines(Integer::parseInt);

    assertThat(read).containsExactly(1, 3, 4);
    assertThat(new StateFile(dir.resolve("missing")).readLines(Integer::parseInt)).isEmpty();
    assertThat(new StateFile(dir.resolve("missing")).readBytes()).isNull();
  }

  /**
   * The damaged IPVS ownership file of the issue: one bad line no longer fails the load (and with
   * it every later apply); the good lines still count, and an address of hex letters only is not an
   * address and is never looked up in DNS.
   */
  @Test
  void aDamagedOwnershipFileLoadsItsGoodLinesAndResolvesNothing() throws Exception {
    Path p = dir.resolve("ipvs-owned");
    Files.writeString(
        p,
        """
        # IPVS services owned by lvs-operator's node agent
        tcp 2 10.0.0.1 80
        this line is damaged
        tcp 2 cafe 80
        udp 2 face.cafe 53
        fwmark 2 5
        """);

    OwnedServices owned = OwnedServices.load(p);

    assertThat(owned.keys()).hasSize(2);
    assertThat(RecordingDnsResolver.lookups()).doesNotContain("cafe", "face.cafe");
  }

  @Test
  void aDamagedStaleVipsFileRemovesWhatItCanReadAndResolvesNothing() throws Exception {
    Path p = dir.resolve("vrrp-vips");
    Files.writeString(
        p, "eth0 172.20.1.100/16\neth0 cafe/24\neth0 172.20.1.101/99\ngarbage\neth1 10.0.0.9/32\n");
    List<String> removed = new ArrayList<>();

    new StaleVips(p)
        .removeRecorded(
            (iface, address, prefix) ->
                removed.add(iface + " " + address.getHostAddress() + "/" + prefix));

    assertThat(removed).containsExactly("eth0 172.20.1.100/16", "eth1 10.0.0.9/32");
    assertThat(RecordingDnsResolver.lookups()).doesNotContain("cafe");
  }

  @Test
  void theRecordingResolverSeesLookups() throws Exception {
    // The oracle itself: a name lookup is recorded (the name need not exist).
    try {
      InetAddress.getByName("lvs-operator-recorded.invalid");
    } catch (java.net.UnknownHostException expected) {
      // .invalid never resolves
    }
    assertThat(RecordingDnsResolver.lookups()).contains("lvs-operator-recorded.invalid");
  }
}
