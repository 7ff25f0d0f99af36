package io.lvsoperator.agent.host.dr;

import io.lvsoperator.agent.host.rtnl.RtnlClient;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@link DrRealServer} in a child JVM started with {@code ip netns exec NS java ...}, so the
 * integration test changes sysctls of its own namespace, never the host's. Arguments: state
 * directory, "apply" or "cleanup", comma-separated interfaces, comma-separated VIPs. Prints what
 * {@link DrRealServer#apply} reports, one line per skipped interface.
 */
public final class DrRealServerChild {
  private DrRealServerChild() {}

  public static void main(String[] args) throws Exception {
    Path stateDirectory = Path.of(args[0]);
    List<String> interfaces =
        args.length > 2 && !args[2].isEmpty() ? List.of(args[2].split(",")) : List.of();
    List<Inet4Address> vips = new ArrayList<>();
    if (args.length > 3 && !args[3].isEmpty()) {
      for (String v : args[3].split(",")) {
        vips.add((Inet4Address) InetAddress.getByName(v));
      }
    }
    try (RtnlClient rtnl = RtnlClient.open()) {
      DrRealServer dr =
          new DrRealServer(Sysctl.proc(), DrRealServer.rtnetlink(rtnl), stateDirectory);
      if (args[1].equals("cleanup")) {
        dr.cleanup();
      } else {
        dr.apply(vips, interfaces).forEach(System.out::println);
      }
    }
  }
}
